package dev.bouncedoctor.model;

/** What the resolve rules decided: one per distinct reason, exactly one of them primary. */
public record Conclusion(Finding finding, boolean primary) {

    public static Conclusion primary(Finding finding) {
        return new Conclusion(finding, true);
    }

    public static Conclusion secondary(Finding finding) {
        return new Conclusion(finding, false);
    }

    public String reason() {
        return finding.reason();
    }
}
