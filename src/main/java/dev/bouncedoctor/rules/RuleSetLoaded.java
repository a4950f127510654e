package dev.bouncedoctor.rules;

import dev.bouncedoctor.engine.RuleSet;

/** A CDI event: a load of the rules directory ended, accepted or refused; {@code serving} is the set serving after it (null if none). */
public record RuleSetLoaded(RuleRegistry.LoadReport report, RuleSet serving) {
}
