package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.InvalidFactException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormaliserTest {

    private final Normaliser normaliser = new Normaliser();

    private static DeliveryFact message(String text) {
        return new DeliveryFact(null, null, null, null, null, null, text, null, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "550-5.1.1 The email account that you tried to reach does not exist | 550 | 5.1.1",
            "552 5.2.2 Mailbox full | 552 | 5.2.2",
            "421-4.7.28 Our system has detected an unusual rate | 421 | 4.7.28",
            "Sorry, no mailbox here by that name. (#5.1.1) | - | 5.1.1",
            "Diagnostic-Code: smtp; 550 Requested action not taken: mailbox unavailable | 550 | -",
            "smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked | 554 | 5.7.1",
            "host mx.example.com[192.0.2.25] said: 450 4.2.0 <x@example.com>: Recipient address rejected: Greylisted | 450 | 4.2.0",
            "Connection refused by 10.5.1.1 port 25 | - | -",
            "delivery temporarily suspended: connect to 192.168.4.5.1[192.0.2.1]:25 | - | -",
            "Remote server returned '550 5.4.4 SMTPSEND.DNS.NonExistentDomain' | 550 | 5.4.4",
            "Mailbox quota exceeded for 250 MB account | - | -",
    })
    void pullsCodesOutOfTheMessage(String text, Integer smtp, String enhanced) {
        DeliveryFact fact = normaliser.normalise(message(text));
        assertEquals(smtp, fact.smtpCode(), "reply code");
        assertEquals(enhanced, fact.enhancedCode(), "enhanced code");
    }

    @Test
    void givenCodesWinOverTheText() {
        DeliveryFact fact = normaliser.normalise(new DeliveryFact(null, null, null, null, 451, "4.2.2", "550 5.1.1 unknown", null, null));
        assertEquals(451, fact.smtpCode());
        assertEquals("4.2.2", fact.enhancedCode());
    }

    @Test
    void foldsWhiteSpaceAndLowerCasesWordsAndDomains() {
        DeliveryFact fact = normaliser.normalise(new DeliveryFact("Jane <Jane.Doe@Example.COM>", " ", " SendGrid ", "Bounced",
                null, " 5.1.1 ", "  550 5.1.1\r\n   user\tunknown ", null, null));
        assertEquals("Jane.Doe@example.com", fact.recipient());
        assertNull(fact.sender());
        assertEquals("sendgrid", fact.provider());
        assertEquals("bounced", fact.status());
        assertEquals("5.1.1", fact.enhancedCode());
        assertEquals("550 5.1.1 user unknown", fact.message());
        assertEquals("550 5.1.1 user unknown", fact.text());
        assertEquals(5, fact.codeClass());
        assertEquals("1.1", fact.codeDetail());
    }

    @Test
    void refusesAFactWithoutEvidence() {
        InvalidFactException e = assertThrows(InvalidFactException.class,
                () -> normaliser.normalise(new DeliveryFact("jane@example.com", null, "smtp", " ", null, null, "", null, null)));
        assertTrue(e.errors().get(0).message().contains("no evidence"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"5.1", "5.1.1.1", "6.1.1", "x.1.1", "5.1.1a", "550"})
    void refusesAnEnhancedCodeThatIsNotClassSubjectDetail(String code) {
        InvalidFactException e = assertThrows(InvalidFactException.class,
                () -> normaliser.normalise(new DeliveryFact(null, null, null, null, null, code, null, null, null)));
        assertEquals("enhancedCode", e.errors().get(0).field());
    }

    @ParameterizedTest
    @CsvSource({"99", "600", "0", "-550"})
    void refusesAReplyCodeOutsideSmtp(int code) {
        InvalidFactException e = assertThrows(InvalidFactException.class,
                () -> normaliser.normalise(new DeliveryFact(null, null, null, null, code, null, null, null, null)));
        assertEquals("smtpCode", e.errors().get(0).field());
    }

    @Test
    void refusesARecipientThatIsNotAnAddress() {
        InvalidFactException e = assertThrows(InvalidFactException.class,
                () -> normaliser.normalise(new DeliveryFact("jane at example", null, null, "bounced", null, null, null, null, null)));
        assertEquals("recipient", e.errors().get(0).field());
    }
}
