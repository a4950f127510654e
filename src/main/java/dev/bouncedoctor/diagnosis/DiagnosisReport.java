package dev.bouncedoctor.diagnosis;

import java.time.Instant;
import java.util.List;

/** The answer to one fact: the primary diagnosis first, never empty. */
public record DiagnosisReport(DeliveryFact fact, List<Diagnosis> diagnoses, List<String> rulesFired, RuleSetRef ruleSet) {

    public record RuleSetRef(String version, Instant loadedAt) {
    }

    public Diagnosis primary() {
        return diagnoses.get(0);
    }
}
