package dev.bouncedoctor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MatchTextTest {

    @Test
    void foldsCaseQuotesDashesAndSpaces() {
        assertEquals("no valid \"to\" address found", MatchText.of("No valid \u201CTO\u201D address found"));
        assertEquals("user's mailbox - full", MatchText.of("User\u2019s\u00A0mailbox \u2013\t\tFULL"));
        assertEquals("wait...", MatchText.of("Wait\u2026"));
        assertEquals("nosuchuser", MatchText.of("no\u200Bsuch\u00ADuser"));
        assertEquals("", MatchText.of(null));
    }

    @Test
    void aPhraseIsNormalOnlyInTheFoldedForm() {
        assertTrue(MatchText.isNormal("user unknown"));
        assertFalse(MatchText.isNormal("User unknown"));
        assertFalse(MatchText.isNormal("user  unknown"));
        assertFalse(MatchText.isNormal("user\u2019s"));
    }

    @Test
    void givesBackTheMessageAsWrittenForASpanOfTheText() {
        String message = "550 No valid \u201CTO\u201D  address\u2026 found";
        String text = MatchText.of(message);
        int at = text.indexOf("\"to\" address...");
        assertEquals("\u201CTO\u201D  address\u2026", MatchText.source(message, at, at + "\"to\" address...".length()));
    }
}
