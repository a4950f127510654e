package dev.bouncedoctor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogMaskTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "jane.doe@example.com  | j***@example.com",
            "j@example.com         | j***@example.com",
            "jäne@xn--bcher-kva.de | j***@xn--bcher-kva.de",
            "𝒥ane@example.com      | 𝒥***@example.com",
            "'\"a b\"@example.com' | '\"***@example.com'",
            "@example.com          | ***@example.com",
            "MAILER-DAEMON         | ***",
            "null                  | -",
    })
    void keepsTheDomainAndOneCharacter(String address, String masked) {
        assertEquals(masked, LogMask.address(address));
    }

    @Test
    void masksEveryAddressInACauseAndKeepsTheRest() {
        assertEquals("could not store j***@example.com for <b***@acme.example>: duplicate key (recipient=j***@example.com)",
                LogMask.cause("could not store jane@example.com for <billing@acme.example>: duplicate key (recipient=jane@example.com)"));
        assertEquals("first line only", LogMask.cause("first line only\nsecond line with jane@example.com"));
        assertEquals("", LogMask.cause(null));
    }

    @Test
    void cutsALongCauseAfterMaskingIt() {
        String cause = LogMask.cause("x".repeat(LogMask.MAX_CAUSE - 5) + " secret.person@example.com and more");
        assertFalse(cause.contains("secret"), cause);
        assertTrue(cause.length() <= LogMask.MAX_CAUSE + 1, cause);
    }

    @Test
    void leavesOutTheFactsMessageWhereverACauseRepeatsIt() {
        DeliveryFact fact = new DeliveryFact("secret.person@privacy.example", "billing@acme.example", null, "bounced", 550, null,
                "550 Dear Secret Person, your account 4711 is closed", null, null);
        String cause = LogMask.cause("rule failed for " + fact + " saying " + fact.text(), fact);
        assertFalse(cause.contains("secret.person"), cause);
        assertFalse(cause.contains("billing@"), cause);
        assertFalse(cause.toLowerCase().contains("account 4711"), cause);
        assertTrue(cause.contains("s***@privacy.example"), cause);
        assertTrue(cause.contains("[message]"), cause);
    }
}
