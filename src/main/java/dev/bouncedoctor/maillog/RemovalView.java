package dev.bouncedoctor.maillog;

import java.time.Instant;

/** One removal from the bounce list: who marked the address as valid, when, and what it had been listed for. */
public record RemovalView(String address, String operator, Instant removedAt, String listedReason, Instant listedSince) {
}
