package dev.bouncedoctor.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The answer to one fact: the primary diagnosis first, never empty. {@code suggestedAddress} is the address the
 * sender probably meant when the recipient's domain looks mistyped (null otherwise). {@code verdict} is what the
 * symptom rules decided for the recipient's state; only the mail log uses it. {@code eventStatus} is what the fact's
 * reported status means in the mail log's words (a provider's "open" is "opened"), null when it gave no status.
 */
public record DiagnosisReport(DeliveryFact fact, List<Diagnosis> diagnoses, List<String> rulesFired, RuleSetRef ruleSet,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String suggestedAddress, @JsonIgnore RecipientVerdict verdict,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String eventStatus) {

    public DiagnosisReport(DeliveryFact fact, List<Diagnosis> diagnoses, List<String> rulesFired, RuleSetRef ruleSet) {
        this(fact, diagnoses, rulesFired, ruleSet, null, new RecipientVerdict(), null);
    }

    public record RuleSetRef(String version, Instant loadedAt) {
    }

    public Diagnosis primary() {
        return diagnoses.get(0);
    }
}
