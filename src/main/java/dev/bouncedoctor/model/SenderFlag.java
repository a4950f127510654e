package dev.bouncedoctor.model;

import java.time.Instant;

/** Context fact: another recipient of the same sender whose latest event flagged it, with that event's reason and time. */
public record SenderFlag(String recipient, String reason, Instant occurredAt) {
}
