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

    @Test
    void takesTheOriginalRecipientWhenAGatewaysFinalRecipientIsNoAddress() {
        ParsedMail mail = parse("""
                From: Mail Delivery Subsystem <postmaster@gw.example>
                To: alice@sender.example
                Subject: Delivery Notification: Delivery has failed
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

                --b1
                Content-Type: text/plain

                Your message could not be delivered.

                --b1
                Content-Type: message/delivery-status

                Reporting-MTA: x400; gw.example

                Original-Recipient: rfc822; jane@example.com
                Final-Recipient: x400; /S=jane/O=example/ADMD= /C=GB/
                Action: failed
                Status: 5.0.0

                Original-Recipient: rfc822; <bob@example.com>
                Final-Recipient: LOCAL; <bob>
                Action: failed
                Status: 5.0.0

                --b1--
                """);
        assertEquals(List.of("jane@example.com", "bob@example.com"), recipients(mail));
    }
}
