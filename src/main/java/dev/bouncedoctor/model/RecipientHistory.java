package dev.bouncedoctor.model;

import java.util.List;

/**
 * What the mail log knows around one event, for the symptom rules: the recipient before it, its earlier attempts
 * (newest first), the sender's other recipients flagged now, and what someone reported. Its presence tells the rules
 * that this is the mail log, not a one-off diagnosis.
 */
public record RecipientHistory(RecipientState recipient, List<Attempt> attempts, List<SenderFlag> senderFlags, ReportedSymptom symptom) {

    public RecipientHistory {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        senderFlags = senderFlags == null ? List.of() : List.copyOf(senderFlags);
    }
}
