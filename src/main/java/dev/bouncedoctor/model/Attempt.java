package dev.bouncedoctor.model;

import java.time.Instant;

/**
 * Context fact: one earlier event to the same recipient. {@code index} 0 is the most recent, so a
 * rule can look at "the last n attempts"; {@code failure} is what the rules decided for it then.
 */
public record Attempt(int index, Instant occurredAt, String status, String reason, String category, boolean failure) {
}
