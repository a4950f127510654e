package dev.bouncedoctor.mail;

import static dev.bouncedoctor.mail.ParsedMails.fact;
import static dev.bouncedoctor.mail.ParsedMails.parse;
import static dev.bouncedoctor.mail.ParsedMails.recipients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bounces from older groupware and Exchange, written here from the layouts their documentation and Sisimai's readers
 * describe (Notes' "Failure Reasons" / "Returned Message" blocks, Domino's "Your message … was not delivered to: …
 * because: …", Exchange 5.5-2003's "did not reach the following recipient(s):" with X.400 O/R addresses), not copied from
 * any mail of the corpus.
 */
class GroupwareBouncesTest {

    @Test
    void exchangeNamesTheRecipientInsideAnX400Address() {
        ParsedMail mail = parse("""
                From: System Administrator <postmaster@acme.example>
                To: alice@sender.example
                Subject: Undeliverable: Figures
                Date: Fri, 4 Oct 2002 10:00:00 -0500
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="----_=_NextPart_001"

                ------_=_NextPart_001
                Content-Type: text/plain; charset="iso-8859-1"

                Your message

                  To:      Bob Smith
                  Subject: Figures
                  Sent:    Fri, 4 Oct 2002 09:58:00 -0500

                did not reach the following recipient(s):

                c=US;a= ;p=ACME;o=HQ;dda:SMTP=bob.smith@acme.example; on Fri, 4 Oct 2002 10:00:00 -0500
                    The recipient name is not recognized
                    MSEXCH:IMS:ACME:HQ:MAIL01 0 (000C05A6) Unknown Recipient

                ------_=_NextPart_001--
                """);
        assertEquals(List.of("bob.smith@acme.example"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.contains("(000C05A6) Unknown Recipient"), message);
        assertTrue(message.contains("The recipient name is not recognized"), message);
    }

    @Test
    void anX400AddressNamedOnlyInsideASentenceLosesItsTypeToo() {
        ParsedMail mail = parse("""
                From: postmaster@acme.example
                To: alice@sender.example
                Subject: Undeliverable: Figures

                The message could not be delivered to c=US;a= ;p=ACME;dda:SMTP=carl@acme.example; (no route).
                """);
        assertEquals(List.of("carl@acme.example"), recipients(mail));
    }

    @Test
    void aLocalizedExchangeReportFromAnAdministratorIsKnownByItsEmbeddedReportField() {
        // Neither the subject ("Unzustellbar") nor the sender says bounce: Exchange's X-MS-Embedded-Report does.
        ParsedMail mail = parse("""
                From: Systemadministrator <exadmin@acme.example>
                To: alice@sender.example
                Subject: Unzustellbar: Zahlen
                Date: Thu, 29 Apr 2010 09:20:00 +0200
                X-MS-Embedded-Report:
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="----_=_NextPart_000"

                ------_=_NextPart_000
                Content-Type: text/plain; charset="iso-8859-1"
                Content-Transfer-Encoding: quoted-printable

                Ihre Nachricht

                  An:      Bob Schmidt
                  Betreff: Zahlen
                  Gesendet:    Thu, 29 Apr 2010 09:19:00 +0200

                hat einige oder alle Empf=E4nger nicht erreicht.

                      bob.schmidt@acme.example am 29.04.2010 09:20
                            Der E-Mail-Kontoname ist ung=FCltig.
                            <mail01.acme.example #5.1.1>

                ------_=_NextPart_000--
                """);
        assertEquals(List.of("bob.schmidt@acme.example"), recipients(mail));
        assertTrue(fact(mail, 0).message().contains("Der E-Mail-Kontoname ist ungültig."), fact(mail, 0).message());
        assertEquals("5.1.1", fact(mail, 0).enhancedCode());
    }

    @Test
    void dominoFromItsMailRouterWithAnUnderscoredSubjectIsABounce() {
        ParsedMail mail = parse("""
                From: Mail Router <router@acme.example>
                To: alice@sender.example
                Subject: DELIVERY_FAILURE: User dora (dora@acme.example) not listed in Domino Directory
                MIME-Version: 1.0
                Content-Type: text/plain; charset=us-ascii

                Your message

                  Subject: Figures

                was not delivered to:

                  dora@acme.example

                because:

                  User dora (dora@acme.example) not listed in Domino Directory
                """);
        assertEquals(List.of("dora@acme.example"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.contains("not listed in Domino Directory"), message);
        assertFalse(message.contains("Subject: Figures"), message);
    }

    @Test
    void notesFailureReasonsNamingOnlyANotesNameGiveTheReturnedMessagesTo() {
        ParsedMail mail = parse("""
                From: Notes Mail Router <router@mail.acme.example>
                To: alice@sender.example
                Subject: Undeliverable message
                MIME-Version: 1.0
                Content-Type: text/plain; charset=us-ascii

                ------- Failure Reasons  --------

                User not listed in public Name & Address Book
                Bob Smith/Sales/ACME@ACME


                ------- Returned Message --------
                Received: from sender.example by mail.acme.example; Tue, 3 Mar 2009 10:11:10 +0900
                From: Alice <alice@sender.example>
                To: bob.smith@acme.example
                Subject: Quarterly figures

                Hello Bob
                """);
        assertEquals(List.of("bob.smith@acme.example"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.contains("User not listed in public Name & Address Book"), message);
        assertFalse(message.contains("Hello Bob"), message);
    }

    @Test
    void exchangeNamingTheRecipientByItsDisplayNameKeepsOnlyThatOneOfTheOriginalsTo() {
        ParsedMail mail = parse("""
                From: System Administrator <postmaster@acme.example>
                To: alice@sender.example
                Subject: Undeliverable: Figures
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="NP"

                --NP
                Content-Type: text/plain; charset="iso-8859-1"

                Your message did not reach some or all of the intended recipients.

                      Subject:	Figures
                      Sent:	4/29/2010 6:14 PM

                The following recipient(s) cannot be reached:

                      'Bob Smith' on 4/29/2010 6:14 PM
                            This message exceeds the maximum message size allowed.
                            <mail01.acme.example #5.3.4>

                --NP
                Content-Type: message/rfc822

                From: Alice <alice@sender.example>
                To: "'Bob Smith'" <bob.smith@acme.example>, Carl Berg <carl@acme.example>
                Subject: Figures

                Hi
                --NP--
                """);
        assertEquals(List.of("bob.smith@acme.example"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.startsWith("'Bob Smith' on 4/29/2010 6:14 PM"), message);
        assertTrue(message.contains("maximum message size"), message);
        assertEquals("5.3.4", fact(mail, 0).enhancedCode());
    }

    @Test
    void notesNamingTheRecipientByItsHierarchicalNameKeepsThatOneOfTheReturnedMessagesTo() {
        ParsedMail mail = parse("""
                From: Notes Mail Router <postmaster@mail.acme.example>
                To: alice@sender.example
                Subject: Undeliverable message

                ------- Failure Reasons  --------

                User not listed in public Name & Address Book
                Bob Smith/Sales/ACME@ACME


                ------- Returned Message --------
                From: Alice <alice@sender.example>
                To: Bob Smith <bob.smith@acme.example>, Carl Berg <carl@acme.example>
                Subject: Quarterly figures

                Hello
                """);
        assertEquals(List.of("bob.smith@acme.example"), recipients(mail));
        // The name stands alone on its line, the reason above it: the whole text is about it.
        assertTrue(fact(mail, 0).message().contains("User not listed in public Name & Address Book"), fact(mail, 0).message());
    }

    @Test
    void withoutADisplayNameInTheTextEveryOneOfTheOriginalsToIsReported() {
        ParsedMail mail = parse("""
                From: postmaster@acme.example
                To: alice@sender.example
                Subject: Undeliverable message

                Your message could not be delivered.

                ------- Returned Message --------
                From: Alice <alice@sender.example>
                To: Bob Smith <bob.smith@acme.example>, Carl Berg <carl@acme.example>
                Subject: Quarterly figures
                """);
        assertEquals(List.of("bob.smith@acme.example", "carl@acme.example"), recipients(mail));
    }

    @Test
    void dominoNamingTheRecipientOnlyInItsSubjectAndByNotesNameInItsText() {
        ParsedMail mail = parse("""
                From: Postmaster@acme.example
                To: alice@sender.example
                Subject: DELIVERY FAILURE: User Bob Smith (bob.smith@acme.example) not listed in Domino Directory

                Your message

                  Subject: Figures

                was not delivered to:

                  Bob Smith/Sales/ACME

                because:

                  User Bob Smith/Sales/ACME not listed in Domino Directory
                """);
        assertEquals(List.of("bob.smith@acme.example"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.startsWith("DELIVERY FAILURE: User Bob Smith"), message);
        assertTrue(message.contains("because: User Bob Smith/Sales/ACME not listed in Domino Directory"), message);
    }

    @Test
    void aDominoBounceThatNamesNoAddressAnywhereHasNoRecipient() {
        ParsedMail mail = parse("""
                From: Postmaster@acme.example
                To: alice@sender.example
                Subject: DELIVERY FAILURE: Cannot route mail to user

                Your message

                  Subject: Figures

                was not delivered to:

                  Bob Smith/Sales/ACME

                because:

                  Cannot route mail to user (Bob Smith/Sales/ACME).
                """);
        assertTrue(mail.recipients().isEmpty(), () -> mail.recipients().toString());
        assertTrue(mail.detail().contains("looks like a bounce"), mail.detail());
    }

    @Test
    void aSendmailWarningNamesTheDeferredRecipient() {
        ParsedMail mail = parse("""
                From: MAILER-DAEMON@mx.sender.example (Mail Delivery Subsystem)
                To: alice@sender.example
                Subject: Warning: could not send message for past 4 hours

                    **********************************************
                    **      THIS IS A WARNING MESSAGE ONLY      **
                    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
                    **********************************************

                The original message was received at Mon, 1 Jan 2024 10:00:00 +0900
                from localhost [127.0.0.1]

                   ----- Transcript of session follows -----
                "Bob Jones" <bob@remote.example>... Deferred: 421 4.4.2 Connection timed out
                Warning: message still undelivered after 4 hours
                Will keep trying until message is 5 days old

                   ----- Original message follows -----
                From: alice@sender.example
                To: "Bob Jones" <bob@remote.example>
                Subject: hello
                """);
        assertEquals(List.of("bob@remote.example"), recipients(mail));
        assertEquals(Integer.valueOf(421), fact(mail, 0).smtpCode());
        assertTrue(fact(mail, 0).message().contains("Deferred: 421 4.4.2 Connection timed out"), fact(mail, 0).message());
    }
}
