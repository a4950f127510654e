package dev.bouncedoctor.preview;

import dev.bouncedoctor.model.RuleProblem;
import java.util.List;

/**
 * What a proposed rule change would change before it is served: the rule set it compiles to (or why it does not),
 * and per source of cases (the scenarios, the newest mail-log events, the corpus mails) how many were compared and
 * those whose primary diagnosis changes, the serving set's and the proposed set's side by side.
 */
public record RulePreview(boolean compiled, String version, List<RuleProblem> problems, Section scenarios, Section events, Section corpus) {

    /** {@code changes} lists at most the first few hundred; {@code changed} counts them all. */
    public record Section(int compared, int changed, List<Change> changes) {
    }

    /** One case whose diagnosis would change: what it is ("scenario classify/x.yaml:12 'name'", "event 123", a mail). */
    public record Change(String what, Side before, Side after) {
    }

    /** A primary diagnosis as a support agent sees it; {@code error} when the rules fail on the case. */
    public record Side(String reason, String category, String retry, Boolean suppress, String rule, String error) {
    }
}
