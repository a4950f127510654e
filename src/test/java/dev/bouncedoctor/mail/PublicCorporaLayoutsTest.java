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
 * Layouts that two public bounce corpora the parser was not written against (flufl.bounce's and
 * Mail::DeliveryStatus::BounceParser's test mails) showed it misreading: each written here as a minimal mail of the same
 * layout, not copied from the corpus.
 */
class PublicCorporaLayoutsTest {

    @Test
    void completesADiagnosticCodeThatIsOnlyTheFirstLineOfAMultiLineReply() {
        ParsedMail mail = parse("""
                From: Mail Delivery Subsystem <MAILER-DAEMON@mta.example>
                To: <alice@sender.example>
                Subject: Returned mail: see transcript for details
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

                --b1

                   ----- The following addresses had permanent fatal errors -----
                <jane@example.com>
                    (reason: 550-Verification failed for <alice@sender.example>)

                   ----- Transcript of session follows -----
                ... while talking to mx.example.com.:
                >>> DATA
                <<< 550-Verification failed for <alice@sender.example>
                <<< 550-The mail server could not deliver mail to alice@sender.example.
                <<< 550 Sender verify failed
                550 5.1.1 <jane@example.com>... User unknown

                --b1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mta.example

                Final-Recipient: RFC822; jane@example.com
                Action: failed
                Status: 5.1.1
                Diagnostic-Code: SMTP; 550-Verification failed for <alice@sender.example>

                --b1--
                """);
        assertEquals(List.of("jane@example.com"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.startsWith("550-Verification failed for <alice@sender.example>"), message);
        assertTrue(message.endsWith("550 Sender verify failed"), message);
        assertFalse(message.contains("User unknown"), "the reporting MTA's own line is no part of the remote reply: " + message);
    }

    @Test
    void readsAMailThatStartsWithBlankLines() {
        // As a web form or a mailbox export saves it: an empty line and a line of blanks before the first header field.
        ParsedMail mail = parse("\n" + " ".repeat(200) + "\n" + """
                From: Mail Delivery System <MAILER-DAEMON@mx.example>
                To: alice@sender.example
                Subject: Undeliverable: News
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

                --b1
                Content-Type: text/plain

                Delivery has failed to these recipients or groups.

                --b1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example

                Final-Recipient: rfc822; jane@example.com
                Action: failed
                Status: 5.1.1
                Diagnostic-Code: smtp; 550 5.1.1 User unknown

                --b1--
                """);
        assertEquals(List.of("jane@example.com"), recipients(mail));
        assertEquals("5.1.1", fact(mail, 0).enhancedCode());
    }

    @Test
    void aOneLetterLastLabelIsOnlyReadAfterAnotherOneLetterLabel() {
        assertEquals("jane@a.b.c", AddressFinder.first("to jane@a.b.c failed"));
        assertEquals("fred@mailgrp1.a.b.c", AddressFinder.first("<fred@mailgrp1.a.b.c>"));
        assertEquals("jane@example.com", AddressFinder.first("Delivery to jane@example.com.A copy of the message follows."));
    }

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

    @Test
    void skipsTheOriginalsToInAnHtmlHeaderSummaryWithBlankLinesBetweenItsFields() {
        ParsedMail mail = parse("""
                From: System Administrator <postmaster@acme.example>
                To: list-bounces@lists.example
                Subject: Undeliverable: News
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/html; charset="iso-8859-1"

                <HTML><BODY>
                <P><FONT SIZE=2>Your message<BR>
                <BR>
                &nbsp; To:&nbsp;&nbsp;&nbsp; news@lists.example<BR>
                &nbsp; Cc:&nbsp;&nbsp;&nbsp; other@lists.example<BR>
                &nbsp; Subject: News<BR>
                <BR>
                did not reach the following recipient(s):<BR>
                <BR>
                jane@acme.example on Thu, 11 Jul 2002 16:54:54 -0300<BR>
                &nbsp;&nbsp;&nbsp; The recipient name is not recognized<BR>
                </FONT></P>
                </BODY></HTML>
                --b1--
                """);
        assertEquals(List.of("jane@acme.example"), recipients(mail));
    }

    @Test
    void anAddressGivenAsAContactIsNoFailedRecipient() {
        ParsedMail hotline = parse("""
                From: MAILER-DAEMON@mail.example
                To: alice@sender.example
                Subject: Returned mail

                Undeliverable Address: jane@example.com

                Reason: The mailbox is over its limit.

                System Contact: postmaster@mail.example
                """);
        assertEquals(List.of("jane@example.com"), recipients(hotline));
        // Postfix's notice asks to contact the postmaster in brackets, before the recipient it names; here the sender wrote to itself.
        ParsedMail toItself = parse("""
                From: MAILER-DAEMON@mail.example (Mail Delivery System)
                To: alice@example.org
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b2"

                --b2
                Content-Type: text/plain

                This is the Postfix program at host mail.example.

                For further assistance, please contact <postmaster@mail.example>

                <alice@example.org>: Name service error for domain example.org: Host not found

                --b2
                Content-Type: message/rfc822

                From: alice@example.org
                To: alice@example.org
                Subject: test

                hello
                --b2--
                """);
        assertEquals(List.of("alice@example.org"), recipients(toItself));
        assertTrue(fact(toItself, 0).message().contains("Host not found"), fact(toItself, 0).message());
    }

    @Test
    void anAddressAfterContactOrReplyToInASentenceIsStillTheRecipient() {
        // Only a request ("please contact …") or a label ("System Contact: …") names the site's own address; these name the recipient.
        for (String sentence : List.of("Could not contact jane@example.com: connection refused by its mail server.",
                "Your reply to jane@example.com could not be delivered: the mailbox is full.")) {
            ParsedMail mail = parse("""
                    From: MAILER-DAEMON@mail.example
                    To: alice@sender.example
                    Subject: failure notice

                    %s
                    """.formatted(sentence));
            assertEquals(List.of("jane@example.com"), recipients(mail), sentence);
        }
    }

    @Test
    void readsAnX400GatewaysSupplementaryInformationWithItsDiagnosticCode() {
        ParsedMail mail = parse("""
                From: postmaster@gw.example
                To: alice@sender.example
                Subject: Delivery Report (failure) for jane@example.com
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

                --b1
                Content-Type: text/plain

                Your message was not delivered to:
                        jane@example.com
                for the following reason:
                Diagnostic was Unable to transfer, -1

                --b1
                Content-Type: message/delivery-status

                Reporting-MTA: x400; mta gw1 in /ADMD= /C=WW/

                Original-Recipient: rfc822; jane@example.com
                Final-Recipient: x400; /RFC-822=jane(a)example.com/ADMD= /C=WW/
                Action: failed
                Diagnostic-Code: Reason 1 (Unable-To-Transfer); Diagnostic -1 (Unknown)
                Status: 5.0.0
                X400-Supplementary-Info: "MTA '192.0.2.1' gives error message 5.7.1 Unable to relay for jane(a)example.com"

                --b1--
                """);
        assertEquals(List.of("jane@example.com"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.contains("Unable to relay"), message);
        assertEquals("5.7.1", fact(mail, 0).enhancedCode());
    }

    @Test
    void readsAStatusThatCarriesAReplyAndWordsBesideTheHumanText() {
        ParsedMail mail = parse("""
                From: postmaster@mx.example
                To: alice@sender.example
                Subject: Delivery failure
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

                --b1
                Content-Type: text/plain

                Your message was not delivered to

                    jane@example.com

                The message is larger than this server takes in.

                --b1
                Content-Type: message/delivery-status

                Reporting-MTA: dns;mx.example

                Final-Recipient: rfc822;jane@example.com
                Action: failure
                Status: 553 Refused by the size limit

                --b1--
                """);
        assertEquals(List.of("jane@example.com"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.startsWith("553 Refused by the size limit"), message);
        assertTrue(message.contains("larger than this server takes in"), message);
        assertEquals(553, fact(mail, 0).smtpCode());
    }

    @Test
    void cutsAnOriginalReturnedInlineWithEachLineQuoted() {
        ParsedMail mail = parse("""
                From: postmaster@example.gov (Automated response from postmaster)
                To: list-admin@lists.example
                Subject: FAILED MAIL to "jane" regarding "News"

                The address to which your message was addressed, jane@example.gov, did not
                match any address here.

                Original message as received is as follows:
                ========================================================================
                >Return-Path: <list-admin@lists.example>
                >Received: from mx.example.gov by mail.example.gov with ESMTP id OAA03514 for <jane@example.gov>; Sun, 27 May 2001 14:21:25 -0700
                >From: alice@sender.example
                >To: news@lists.example
                >Subject: News
                >
                >Hello
                """);
        assertEquals(List.of("jane@example.gov"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.contains("did not match any address here"), message);
        assertFalse(message.contains("Received"), message);
    }

    @Test
    void aMessageIdTheCopyCarriesIsNoAddressTheOriginalWasSentTo() {
        // The copy names the Message-ID, but only its header fields say whom it was sent to (here by Bcc, in Received only).
        ParsedMail mail = parse("""
                From: postmaster@mail.example
                To: alice@sender.example
                Subject: Undeliverable mail

                Your message <20010527.abc@mail.sender.example> could not be delivered to <jane@example.com>: no such mailbox.

                Original message as received is as follows:
                ========================================================================
                Received: from mx.sender.example by mail.example with ESMTP id 1A2B for <jane@example.com>; Sun, 27 May 2001 14:21:25 -0700
                Message-ID: <20010527.abc@mail.sender.example>
                From: alice@sender.example
                To: undisclosed-recipients:;
                Subject: News

                Hello
                """);
        assertEquals(List.of("jane@example.com"), recipients(mail));
    }

    @Test
    void ofAddressesNamedOnlyInSentencesTakesThoseTheOriginalWasSentTo() {
        ParsedMail mail = parse("""
                From: postmaster@example.gov (Automated response from postmaster)
                To: list-admin@lists.example
                Subject: FAILED MAIL to "jane"

                The standard form of address here is lastnameNumber@example.gov.
                The address to which your message was addressed, jane@example.gov, did not
                match any address here. You may reach the person at jl.doe2@example.gov instead.

                Original message as received is as follows:
                ========================================================================
                >Received: from mx.example.gov by mail.example.gov with ESMTP id OAA03514 for <jane@example.gov>; Sun, 27 May 2001 14:21:25 -0700
                >From: alice@sender.example
                >To: news@lists.example
                >
                >Hello
                """);
        assertEquals(List.of("jane@example.gov"), recipients(mail));
        assertTrue(fact(mail, 0).message().contains("did not match any address here"), fact(mail, 0).message());
    }

    @Test
    void recipientsListedOneByOneUnderTheReasonGetTheWholeText() {
        ParsedMail mail = parse("""
                From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example>
                To: alice@sender.example
                Subject: Delivery failure

                This message was undeliverable due to the following reason:

                The destination computer was not reachable within the allowed queue period.

                The following recipients did not receive your message:

                     <jane@example.com>
                The following recipients did not receive your message:

                     <bob@example.com>

                Please reply to postmaster@mail.example
                if you feel this message to be in error.
                """);
        assertEquals(List.of("jane@example.com", "bob@example.com"), recipients(mail));
        for (int i = 0; i < 2; i++) {
            String message = fact(mail, i).message();
            assertTrue(message.contains("not reachable within the allowed queue period"), message);
        }
    }

    @Test
    void readsAnAddressNamedInQuotesInsideASentenceWithoutTheQuote() {
        ParsedMail mail = parse("""
                From: Mail Delivery System <MAILER-DAEMON@mailstore.example>
                To: list-admin@lists.example
                Subject: Mail delivery failed

                The following message, addressed to 'jane@example.com',
                failed because it has not been collected after 30 days
                """);
        assertEquals(List.of("jane@example.com"), recipients(mail));
    }

    @Test
    void theSenderNamedAfterMailFromInASentenceIsNoFailedRecipient() {
        ParsedMail mail = parse("""
                From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example>
                To: list-bounces@lists.example
                Subject: Mail Delivery Problem

                Your mail to the following recipients could not be delivered because
                they are not accepting mail from news@lists.example:
                	screenname
                """);
        assertTrue(recipients(mail).isEmpty(), recipients(mail).toString());
    }

    @Test
    void aSieveRejectNamesItsRecipientInTheDispositionNotification() {
        ParsedMail mail = parse("""
                From: Mail Delivery Subsystem <admin@mail.example>
                To: <alice@sender.example>
                Subject: Automatically rejected mail
                Auto-Submitted: auto-replied (rejected)
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=disposition-notification; boundary="b1"

                --b1
                Content-Type: text/plain; charset=utf-8

                Your message to <jane@example.com> was automatically rejected:
                Quota exceeded

                --b1
                Content-Type: message/disposition-notification

                Reporting-UA: mail.example; Dovecot Mail Delivery Agent
                Final-Recipient: rfc822; jane@example.com
                Original-Message-ID: <1@sender.example>
                Disposition: automatic-action/MDN-sent-automatically; deleted

                --b1--
                """);
        assertEquals(List.of("jane@example.com"), recipients(mail));
        assertTrue(fact(mail, 0).message().contains("Quota exceeded"), fact(mail, 0).message());
    }

    @Test
    void anAutoRepliedNoticeFromTheNullSenderIsReadAsABounce() {
        ParsedMail mail = parse("""
                Return-Path: <>
                From: <>
                To: bounces@sender.example
                Auto-Submitted: auto-replied
                Date: Tue, 29 Dec 2009 12:12:54 +0000

                You sent mail to jane@example.com. That's not a valid user here.
                """);
        assertEquals(List.of("jane@example.com"), recipients(mail));
        assertEquals("bounced", fact(mail, 0).status());
    }

    @Test
    void aMailingListsCopyFailedForTheMemberItsFirstReceivedNames() {
        ParsedMail mail = parse("""
                From: MAILER-DAEMON@mx.example.net
                To: news-admin@lists.example
                Subject: Undelivered Mail

                Your mail cannot be delivered to the following address(es):
                 jdoe "(0), ErrMsg=no such account, account=jdoe "
                Please check the above address(es) and then try again.
                ---- Header of the source mail attached ----

                Received: from mx.example.net by store.example.net with SMTP id jmb3a800bb6; Tue,  6 Feb 2001 06:41:26 -0000
                Received: from lists.example (lists.example [192.0.2.29])
                	by mx.example.net (Postfix) with ESMTP id A468F1CB4210C
                	for <jane@example.net>; Tue,  6 Feb 2001 06:31:27 +0800 (CST)
                Received: from sender.example by lists.example (Postfix) with ESMTP id F004BE72E
                	for <news@lists.example>; Mon,  5 Feb 2001 17:30:44 -0500 (EST)
                From: <alice@sender.example>
                To: Bob <bob@elsewhere.example>
                Cc: <news@lists.example>
                Subject: Re: figures
                List-Post: <mailto:news@lists.example>
                List-Id: News <news.lists.example>

                """);
        assertEquals(List.of("jane@example.net"), recipients(mail));
    }
}
