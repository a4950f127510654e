package dev.bouncedoctor.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * The answer to one fact: the primary diagnosis first, never empty. {@code verdict} is what the
 * symptom rules decided for the recipient's state; only the mail log uses it.
 */
public record DiagnosisReport(DeliveryFact fact, List<Diagnosis> diagnoses, List<String> rulesFired, RuleSetRef ruleSet,
                              @JsonIgnore RecipientVerdict verdict) {

    public DiagnosisReport(DeliveryFact fact, List<Diagnosis> diagnoses, List<String> rulesFired, RuleSetRef ruleSet) {
        this(fact, diagnoses, rulesFired, ruleSet, new RecipientVerdict());
    }

    public record RuleSetRef(String version, Instant loadedAt) {
    }

    public Diagnosis primary() {
        return diagnoses.get(0);
    }
}
