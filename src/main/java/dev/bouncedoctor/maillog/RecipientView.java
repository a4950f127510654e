package dev.bouncedoctor.maillog;

import java.time.Instant;

/** A recipient's state as the API shows it. */
public record RecipientView(String address, boolean flaggedInvalid, boolean suppressed, String suppressedReason,
                            Instant suppressedSince, int consecutiveFailures, Long lastEventId, Instant lastEventAt,
                            String lastStatus, String lastReason, String lastCategory, Instant removedAt, String removedBy,
                            String suppressedBy) {

    static RecipientView of(RecipientRecord r) {
        return r == null ? null : new RecipientView(r.address, r.flaggedInvalid, r.suppressed, r.suppressedReason, r.suppressedSince,
                r.consecutiveFailures, r.lastEventId, r.lastEventAt, r.lastStatus, r.lastReason, r.lastCategory, r.removedAt, r.removedBy, r.suppressedBy);
    }
}
