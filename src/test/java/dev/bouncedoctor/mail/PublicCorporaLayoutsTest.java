package dev.bouncedoctor.mail;

import static dev.bouncedoctor.mail.ParsedMails.fact;
import static dev.bouncedoctor.mail.ParsedMails.parse;
import static dev.bouncedoctor.mail.ParsedMails.recipients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Layouts that two public bounce corpora the parser was not written against (flufl.bounce's and
 * Mail::DeliveryStatus::BounceParser's test mails) showed it misreading: each written here as a minimal mail of the same
 * layout, not copied from the corpus.
 */
class PublicCorporaLayoutsTest {

    @Test
    void findsARecipientWhoseDomainWasAnonymisedToOneLetterLabels() {
        ParsedMail mail = parse("""
                From: "Postmaster" <postmaster@b.c>
                To: <bounces@sender.example>
                Subject: Undeliverable Mail
                X-Mailer: <SMTP32 v10.0>

                User mailbox exceeds allowed size: jane@b.c


                Original message follows.

                From: Alice <alice@sender.example>
                To: Jane <jane@b.c>
                Subject: News

                Hello
                """);
        assertEquals(List.of("jane@b.c"), recipients(mail));
        assertTrue(fact(mail, 0).message().contains("exceeds allowed size"), fact(mail, 0).message());
    }
}
