package dev.bouncedoctor.console;

import io.quarkus.qute.TemplateData;
import java.util.Locale;

/**
 * A text cut around the evidence a rule reported, so that the page can mark it. The evidence is a
 * phrase the rules matched on the normalised text; when it does not occur as written (a rule may name
 * its evidence in other words), nothing is marked and the evidence is shown beside the text instead.
 */
@TemplateData
public record Highlight(String before, String match, String after) {

    static Highlight of(String text, String evidence) {
        if (text == null) {
            return new Highlight("", "", "");
        }
        if (evidence == null || evidence.isBlank()) {
            return new Highlight(text, "", "");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int at = lower.indexOf(evidence.toLowerCase(Locale.ROOT));
        if (at < 0 || lower.length() != text.length()) {
            return new Highlight(text, "", "");
        }
        int end = at + evidence.length();
        return new Highlight(text.substring(0, at), text.substring(at, end), text.substring(end));
    }

    public boolean found() {
        return !match.isEmpty();
    }
}
