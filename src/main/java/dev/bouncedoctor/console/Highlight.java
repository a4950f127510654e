package dev.bouncedoctor.console;

import io.quarkus.qute.TemplateData;
import dev.bouncedoctor.model.MatchText;

/**
 * A text cut around the evidence a rule reported, so that the page can mark it. The evidence is a phrase the rules
 * matched on the normalised text ({@link MatchText}: lower case, straight quotes, one space), so it is looked for
 * there and mapped back to the words as the server wrote them (curly quotes, line breaks and all). When it does not
 * occur at all (a rule may name its evidence in other words), nothing is marked and the evidence is shown beside
 * the text instead.
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
        String normal = MatchText.of(text);
        String phrase = MatchText.of(evidence).strip();
        int at = phrase.isEmpty() ? -1 : normal.indexOf(phrase);
        if (at < 0) {
            return new Highlight(text, "", "");
        }
        String written = MatchText.source(text, at, at + phrase.length());
        int from = written.isEmpty() ? -1 : text.indexOf(written);
        if (from < 0) {
            return new Highlight(text, "", "");
        }
        int end = from + written.length();
        return new Highlight(text.substring(0, from), text.substring(from, end), text.substring(end));
    }

    public boolean found() {
        return !match.isEmpty();
    }
}
