package dev.bouncedoctor.model;

import java.time.Instant;

/**
 * Context fact: the recipient's state before this event, as the mail log holds it. Its presence
 * tells the symptom rules that the fact is part of a mail log (not a one-off diagnosis).
 *
 * @param removedAt when an operator last took the address off the bounce list, or null
 */
public record RecipientState(String address, boolean flaggedInvalid, boolean suppressed, String suppressedReason,
                             Instant suppressedSince, int consecutiveFailures, Instant removedAt, String removedBy) {

    /** A recipient the mail log has not seen before. */
    public static RecipientState fresh(String address) {
        return new RecipientState(address, false, false, null, null, 0, null, null);
    }
}
