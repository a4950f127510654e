package dev.bouncedoctor.model;

import java.util.List;

/** One diagnosis of a report, in the design's wire names. {@code rule} is the rule that found the reason. */
public record Diagnosis(
        String reason,
        String category,
        boolean suppress,
        String retry,
        String retryAfter,
        String title,
        String explanation,
        List<String> steps,
        String whereToCheck,
        String rule,
        String evidence) {
}
