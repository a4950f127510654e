package dev.bouncedoctor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class LowerCaseTest {

    @Test
    void mapsEachCharacterOnItsOwn() {
        assertEquals("abc", LowerCase.of("ABC"));
        assertEquals("abcσdef", LowerCase.of("ABCΣDEF"));
        // No context rules: a final sigma stays σ, a dotted capital I is one 'i'.
        assertEquals("istanbul σ", LowerCase.of("İSTANBUL Σ"));
        assertEquals("x😀y", LowerCase.of("x😀Y"));
        assertEquals("", LowerCase.of(""));
        assertNull(LowerCase.of(null));
    }

    @Test
    void agreesWithTheJdkWhereItHasNoContextRules() {
        String text = "550 5.1.1 <Jane@Example.COM>: Recipient address REJECTED: Benutzer unbekannt ÄÖÜ ユーザー";
        assertEquals(text.toLowerCase(Locale.ROOT), LowerCase.of(text));
    }
}
