package dev.bouncedoctor.maillog;

/** One event with its stored diagnosis. */
public record EventDetail(EventView event, StoredDiagnosis diagnosis) {
}
