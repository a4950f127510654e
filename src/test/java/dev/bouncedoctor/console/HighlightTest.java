package dev.bouncedoctor.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The evidence is found in the words as the server wrote them, whatever their case, quotes or line breaks. */
class HighlightTest {

    @Test
    void marksTheEvidenceAsWrittenThoughTheRulesMatchedItNormalised() {
        Highlight h = Highlight.of("550 5.1.1 <a@b.example>: Recipient address rejected: User unknown in\n  virtual mailbox table",
                "user unknown in virtual mailbox table");
        assertEquals("User unknown in\n  virtual mailbox table", h.match());
        assertEquals("550 5.1.1 <a@b.example>: Recipient address rejected: ", h.before());
        assertEquals("", h.after());
    }

    @Test
    void curlyQuotesInTheTextMatchStraightOnesInTheEvidence() {
        Highlight h = Highlight.of("no valid \u201cTO\u201d address found", "no valid \"to\" address found");
        assertEquals("no valid \u201cTO\u201d address found", h.match());
    }

    @Test
    void evidenceTheTextDoesNotContainMarksNothing() {
        Highlight h = Highlight.of("421 4.7.0 Try again later", "over quota");
        assertFalse(h.found());
        assertEquals("421 4.7.0 Try again later", h.before());
    }
}
