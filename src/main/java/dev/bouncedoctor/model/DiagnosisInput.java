package dev.bouncedoctor.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One question for the rules: a delivery fact, and what is known around it.
 *
 * @param fact    what happened
 * @param mail    what a raw bounce mail says about this recipient beyond the fact, or null for a fact sent as JSON
 * @param history the mail log's knowledge of the recipient and the sender, or null for a one-off diagnosis
 */
public record DiagnosisInput(DeliveryFact fact, BounceContext mail, RecipientHistory history) {

    public static DiagnosisInput of(DeliveryFact fact) {
        return new DiagnosisInput(fact, null, null);
    }

    public DiagnosisInput withFact(DeliveryFact other) {
        return new DiagnosisInput(other, mail, history);
    }

    /** The facts that go into the rule session next to {@link #fact}. */
    public List<Object> context() {
        List<Object> facts = new ArrayList<>();
        if (history != null) {
            facts.add(history.recipient());
            facts.addAll(history.attempts());
            facts.addAll(history.senderFlags());
            if (history.symptom() != null) {
                facts.add(history.symptom());
            }
        }
        if (mail != null) {
            facts.add(mail);
        }
        return facts;
    }
}
