package dev.bouncedoctor.model;

/** Context fact: what a person observed, e.g. {@code flagged-but-delivered} (the customer got the mail although it is flagged). */
public record ReportedSymptom(String name) {
}
