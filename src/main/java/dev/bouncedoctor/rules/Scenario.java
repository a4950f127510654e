package dev.bouncedoctor.rules;

import dev.bouncedoctor.diagnosis.DeliveryFact;

/**
 * One case of a scenario file: given a fact, expect a diagnosis. Null expectations are not checked.
 *
 * @param file the scenario file, relative to the rules directory
 * @param line where the case starts in that file
 */
public record Scenario(String file, int line, String name, DeliveryFact fact, Expectation expect) {

    public record Expectation(String reason, String category, String retry, Boolean suppress, String retryAfter, String rule) {
    }

    /** For reports and JUnit display names: {@code scenarios/starter.yaml:12 550 5.1.1 is an unknown user}. */
    public String label() {
        return file + ":" + line + " " + name;
    }
}
