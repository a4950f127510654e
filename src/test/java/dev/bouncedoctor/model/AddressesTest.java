package dev.bouncedoctor.model;

import dev.bouncedoctor.engine.Normaliser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which texts are one email address, and the single form each is stored and compared in. */
class AddressesTest {

    private final Normaliser normaliser = new Normaliser();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "jane@example.com                | jane@example.com",
            "Jane <jane@Example.COM>         | jane@example.com",
            "'  <Jane.Doe@EXAMPLE.com>  '    | Jane.Doe@example.com",
            "jane@example.com (Jane)         | jane@example.com",
            "Jane Doe <jane+tag@example.com> | jane+tag@example.com",
            // local parts keep their case: the receiving server decides what it means
            "JANE@EXAMPLE.COM                | JANE@example.com",
            // one internationalised domain, one form: ASCII (punycode), lower case
            "jane@bücher.de                  | jane@xn--bcher-kva.de",
            "jane@BÜCHER.de                  | jane@xn--bcher-kva.de",
            "jane@xn--bcher-kva.de           | jane@xn--bcher-kva.de",
            "jane@XN--BCHER-KVA.DE           | jane@xn--bcher-kva.de",
            "Jane <jane@Bücher.DE>           | jane@xn--bcher-kva.de",
            // an RFC 6531 (SMTPUTF8) local part is accepted and kept as given
            "jäne@bücher.de                  | jäne@xn--bcher-kva.de",
            "用户@例子.广告                      | 用户@xn--fsqu00a.xn--4rr70v",
            // a quoted local part stays quoted: that is its addr-spec
            "'\"jane doe\"@example.com'      | '\"jane doe\"@example.com'",
            "'\"jane..doe\"@example.com'     | '\"jane..doe\"@example.com'",
            "jane@[192.0.2.1]                | jane@[192.0.2.1]",
            "jane@localhost                  | jane@localhost",
            // RFC 5322 (obs-addr-list) allows empty members in a list: still exactly one address
            "'jane@example.com,'             | jane@example.com",
    })
    void canonicalForm(String raw, String canonical) throws Exception {
        assertEquals(canonical, Addresses.canonical(raw));
        assertEquals(canonical, normaliser.address(raw, "address"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "jane@gmail,com              | illegal address",
            "x@y@z.com                   | domain contains illegal character",
            "mailto:jane@example.com     | local address contains illegal character",
            "jane @example.com           | local address contains control or whitespace",
            "jane@                       | missing domain",
            "@example.com                | missing local name",
            "jane@example.com.           | domain ends with dot",
            "jane..doe@example.com       | local address contains dot-dot",
            ".jane@example.com           | local address starts with dot",
            "jane@example..com           | domain contains dot-dot",
            "jane                        | missing final '@domain'",
            "jane at example             | ",
            "jane@exa mple.com           | domain contains control or whitespace",
            "jane@ex_ample.com           | domain contains illegal character",
            "jane@-example.com           | not a valid domain name",
            "'a@example.com, b@example.com' | illegal address",
            "'team: a@example.com;'      | a group of addresses",
            "<jane@example.com           | missing '>'",
    })
    void refused(String raw, String why) {
        Addresses.InvalidAddressException e = assertThrows(Addresses.InvalidAddressException.class, () -> Addresses.canonical(raw));
        if (why != null) {
            assertTrue(e.getMessage().toLowerCase().contains(why), e.getMessage());
        }
        InvalidFactException fact = assertThrows(InvalidFactException.class, () -> normaliser.address(raw, "recipient"));
        assertEquals(1, fact.errors().size());
        assertEquals("recipient", fact.errors().get(0).field());
        assertTrue(fact.errors().get(0).message().contains("send one address as local@domain"), fact.errors().get(0).message());
    }

    @Test
    void refusesWhatRfc5321CannotCarry() {
        String local65 = "a".repeat(65);
        assertThrows(Addresses.InvalidAddressException.class, () -> Addresses.canonical(local65 + "@example.com"));
        String longDomain = ("d".repeat(60) + ".").repeat(4) + "example";
        assertThrows(Addresses.InvalidAddressException.class, () -> Addresses.canonical("jane@" + longDomain));
    }

    @Test
    void bothSpellingsOfAnInternationalDomainAreOneRecipient() throws Exception {
        assertEquals(Addresses.canonical("jane@bücher.de"), Addresses.canonical("Jane Doe <jane@xn--bcher-kva.de>"));
    }

    @Test
    void factsNameTheFieldWhoseAddressIsWrong() {
        InvalidFactException e = assertThrows(InvalidFactException.class, () -> normaliser.normalise(
                new DeliveryFact("jane@gmail,com", "x@y@z.com", null, "bounced", null, null, null, null, null)));
        assertEquals(2, e.errors().size(), e.getMessage());
        assertEquals("recipient", e.errors().get(0).field());
        assertEquals("sender", e.errors().get(1).field());
    }

    @Test
    void aParsedMailKeepsAnAddressThatDoesNotParseAndCanonicalisesOneThatDoes() {
        Normaliser mail = Normaliser.forParsedMail();
        DeliveryFact odd = mail.normalise(new DeliveryFact(" jane..doe@Example.COM. ", "MAILER-DAEMON", null, "bounced", null, null, null, null, null));
        assertEquals("jane..doe@Example.COM.", odd.recipient());
        assertEquals("MAILER-DAEMON", odd.sender());
        DeliveryFact fine = mail.normalise(new DeliveryFact("<Jane@Bücher.DE>", "Postmaster <postmaster@Example.COM>", null, "bounced", null, null, null, null, null));
        assertEquals("Jane@xn--bcher-kva.de", fine.recipient());
        assertEquals("postmaster@example.com", fine.sender());
        assertNull(mail.normalise(new DeliveryFact(" ", null, null, "bounced", null, null, null, null, null)).recipient());
    }
}
