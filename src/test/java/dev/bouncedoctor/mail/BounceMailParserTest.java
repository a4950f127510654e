package dev.bouncedoctor.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.DeliveryFact;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the parser extracts from each kind of mail, and how it refuses what is not a mail. */
class BounceMailParserTest {

    private final BounceMailParser parser = new BounceMailParser();

    static final String DSN = """
            Return-Path: <>
            From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
            To: sender@example.org
            Subject: =?UTF-8?B?VW5kZWxpdmVyZWQgTWFpbCDinIk=?=
            Date: Thu, 29 Apr 2021 23:45:41 +0900
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

            --B1
            Content-Type: text/plain; charset=us-ascii

            Your message could not be delivered to two recipients.

            --B1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.org
            Arrival-Date: Thu, 29 Apr 2021 23:45:40 +0900

            Final-Recipient: rfc822; first@example.net
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; mx.example.net
            Diagnostic-Code: smtp; 550 5.1.1 <first@example.net>: Recipient address
                rejected: User unknown in local recipient table

            Original-Recipient: rfc822;second@example.net
            Final-Recipient: rfc822; second@example.net
            Action: delayed
            Status: 4.2.2
            Diagnostic-Code: smtp; 452 4.2.2 Mailbox full

            --B1
            Content-Type: message/rfc822

            From: sender@example.org
            To: first@example.net, second@example.net
            Subject: hello

            hello
            --B1--
            """;

    @Test
    void readsEveryRecipientOfADeliveryStatusInOrder() {
        ParsedMail mail = parse(DSN);
        assertEquals(2, mail.recipients().size());
        BounceRecipient first = mail.recipients().get(0);
        assertEquals(1, first.index());
        assertEquals("first@example.net", first.fact().recipient());
        assertEquals("sender@example.org", first.fact().sender());
        assertEquals("bounced", first.fact().status());
        assertEquals("5.1.1", first.fact().enhancedCode());
        assertEquals(550, first.fact().smtpCode());
        // The folded Diagnostic-Code is one text, without its "smtp;" type.
        assertEquals("550 5.1.1 <first@example.net>: Recipient address rejected: User unknown in local recipient table", first.fact().message());
        assertEquals("delivery-status", first.context().format());
        assertEquals("mx.example.net", first.context().remoteMta());
        assertEquals("smtp", first.context().diagnosticType());
        assertEquals("Undelivered Mail \u2709", first.context().subject());

        BounceRecipient second = mail.recipients().get(1);
        assertEquals(2, second.index());
        assertEquals("second@example.net", second.fact().recipient());
        assertEquals("deferred", second.fact().status());
        assertEquals("4.2.2", second.fact().enhancedCode());
        assertEquals(452, second.fact().smtpCode());
    }

    @Test
    void leavesDatesOutOnlyWhenAskedTo() {
        byte[] raw = DSN.getBytes(StandardCharsets.UTF_8);
        ParsedMail full = parser.parse(raw);
        ParsedMail forClassification = BounceMailParser.withoutDates().parse(raw);
        assertNotNull(full.recipients().get(0).fact().occurredAt(), "the DSN's dates");
        assertEquals(full.recipients().size(), forClassification.recipients().size());
        for (int i = 0; i < full.recipients().size(); i++) {
            DeliveryFact with = full.recipients().get(i).fact();
            DeliveryFact without = forClassification.recipients().get(i).fact();
            assertNull(without.occurredAt());
            assertEquals(new DeliveryFact(with.recipient(), with.sender(), with.provider(), with.status(), with.smtpCode(), with.enhancedCode(),
                    with.message(), with.errorCode(), null), without, "everything but the date is the same");
            assertEquals(full.recipients().get(i).context(), forClassification.recipients().get(i).context());
        }
    }

    @Test
    void namesTheSmtpCommandTheTranscriptShowsForARecipientInTheContext() {
        String transcript = DSN.replace("Your message could not be delivered to two recipients.", """
                   ----- Transcript of session follows -----
                ... while talking to mx.example.net.:
                >>> RCPT To:<first@example.net>
                <<< 550 5.1.1 <first@example.net>... User unknown
                >>> DATA
                <<< 452 4.2.2 <second@example.net>... Mailbox full""");
        ParsedMail mail = parse(transcript);
        // A field of the context, the verb alone; the message stays the Diagnostic-Code as the mail has it.
        assertEquals("RCPT", mail.recipients().get(0).context().smtpCommand());
        assertEquals("550 5.1.1 <first@example.net>: Recipient address rejected: User unknown in local recipient table",
                mail.recipients().get(0).fact().message());
        assertEquals("DATA", mail.recipients().get(1).context().smtpCommand());
        assertEquals("452 4.2.2 Mailbox full", mail.recipients().get(1).fact().message());
        // No transcript: no command.
        assertNull(parse(DSN).recipients().get(1).context().smtpCommand());
        // Postfix says it in its own words after the recipient; the end of the data is DATA.
        assertEquals("DATA", SmtpCommand.forRecipient("<jane@example.net>: host mx.example.net[192.0.2.1] said: 550 Unknown user\n    jane@example.net (in reply to end of DATA\n    command)", "jane@example.net"));
        assertEquals("MAIL", SmtpCommand.forRecipient("<jane@example.net>: host mx.example.net[192.0.2.1] said: 550 Access denied (in reply to MAIL FROM command)", "jane@example.net"));
        assertNull(SmtpCommand.forRecipient("nothing about a session", "jane@example.net"));
        // A Diagnostic-Code that names the command itself.
        assertEquals("RCPT", SmtpCommand.saidIn("550 5.1.1 <jane@example.net>: User unknown (in reply to RCPT TO command)"));
        assertNull(SmtpCommand.saidIn("550 5.1.1 in reply to your message"));
    }

    @Test
    void takesTheWholeTextWhenTheReasonComesBeforeTheListOfRecipients() {
        ParsedMail mail = parse("""
                From: MAILER-DAEMON@mx.example.org
                To: sender@example.org
                Subject: Mail System Error - Returned Mail
                Date: Thu, 29 Apr 2021 23:45:41 +0900

                Your message was not delivered within 0 days and 1 hours.
                Remote host is not responding.

                The following recipients did not receive this message:

                <jane@example.net>
                """);
        assertEquals(List.of("jane@example.net"), recipients(mail));
        assertTrue(mail.recipients().get(0).fact().message().contains("not delivered within 0 days and 1 hours"), mail.recipients().get(0).fact().message());
    }

    @ParameterizedTest(name = "line ends {0}")
    @ValueSource(strings = {"LF", "CRLF", "CR"})
    void readsAnyLineEnd(String ends) {
        String eol = switch (ends) {
            case "CRLF" -> "\r\n";
            case "CR" -> "\r";
            default -> "\n";
        };
        ParsedMail mail = parse(DSN.replace("\n", eol));
        assertEquals(List.of("first@example.net", "second@example.net"), recipients(mail));
        assertEquals("5.1.1", mail.recipients().get(0).fact().enhancedCode());
    }

    @Test
    void decodesATransferEncodedDeliveryStatus() {
        String fields = "Final-Recipient: rfc822; jane@example.net\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Quota exceeded\n";
        String mail = """
                From: MAILER-DAEMON@example.org
                To: sender@example.org
                Subject: Returned mail
                Content-Type: multipart/report; report-type=delivery-status; boundary=X

                --X
                Content-Type: message/delivery-status
                Content-Transfer-Encoding: base64

                %s
                --X--
                """.formatted(Base64.getMimeEncoder().encodeToString(fields.getBytes(StandardCharsets.US_ASCII)));
        BounceRecipient r = parse(mail).recipients().get(0);
        assertEquals("jane@example.net", r.fact().recipient());
        assertEquals("552 5.2.2 Quota exceeded", r.fact().message());
        assertEquals(552, r.fact().smtpCode());
    }

    @Test
    void findsTheTextANonStandardMtaWroteAboutEachRecipient() {
        String qmail = """
                Return-Path: <>
                From: MAILER-DAEMON@mx.example.jp
                To: sender@example.jp
                Subject: failure notice

                Hi. This is the qmail-send program at mx.example.jp.
                I'm afraid I wasn't able to deliver your message to the following addresses.

                <one@example.net>:
                192.0.2.1 does not like recipient.
                Remote host said: 550 5.1.1 <one@example.net>: User unknown
                Giving up on 192.0.2.1.

                <two@example.net>:
                Remote host said: 552 5.2.2 Mailbox full

                --- Below this line is a copy of the message.

                From: sender@example.jp
                To: three@example.net
                """;
        ParsedMail mail = parse(qmail);
        assertEquals(List.of("one@example.net", "two@example.net"), recipients(mail));
        DeliveryFact one = mail.recipients().get(0).fact();
        assertEquals("bounced", one.status());
        assertEquals(550, one.smtpCode());
        assertTrue(one.message().contains("User unknown"), one.message());
        assertTrue(!one.message().contains("Mailbox full"), "one recipient's text must not run into the next: " + one.message());
        DeliveryFact two = mail.recipients().get(1).fact();
        assertEquals(552, two.smtpCode());
        assertTrue(!two.message().contains("three@example.net"), "the returned original is not part of the diagnostic: " + two.message());
        assertEquals("plain-text", mail.recipients().get(0).context().format());
    }

    @Test
    void trustsTheFailedRecipientsHeaderOfExim() {
        String exim = """
                From: Mail Delivery System <Mailer-Daemon@mx.example.org>
                To: sender@example.org
                Subject: Mail delivery failed: returning message to sender
                X-Failed-Recipients: gone@example.net

                This message was created automatically by mail delivery software.

                A message that you sent could not be delivered to one or more of its
                recipients. This is a permanent error. The following address(es) failed:

                  gone@example.net
                    host mx.example.net [192.0.2.20]
                    SMTP error from remote mail server after RCPT TO:<gone@example.net>:
                    550 5.1.1 No such user

                ------ This is a copy of the message, including all the headers. ------
                """;
        BounceRecipient r = parse(exim).recipients().get(0);
        assertEquals("gone@example.net", r.fact().recipient());
        assertEquals(550, r.fact().smtpCode());
        assertEquals("5.1.1", r.fact().enhancedCode());
        assertTrue(r.fact().message().contains("No such user"));
    }

    @Test
    void turnsAFeedbackReportIntoAComplaintPerReportedRecipient() {
        String arf = """
                From: abuse@isp.example
                To: postmaster@example.org
                Subject: Abuse report
                Content-Type: multipart/report; report-type=feedback-report; boundary="F"

                --F
                Content-Type: text/plain

                This is an abuse report.
                --F
                Content-Type: message/feedback-report

                Feedback-Type: Abuse
                User-Agent: SomeGenerator/1.0
                Version: 1
                Original-Rcpt-To: a@isp.example
                Original-Rcpt-To: b@isp.example
                Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT

                --F
                Content-Type: message/rfc822

                From: news@example.org
                To: list@isp.example
                Subject: offer

                buy
                --F--
                """;
        ParsedMail mail = parse(arf);
        assertEquals(List.of("a@isp.example", "b@isp.example"), recipients(mail));
        DeliveryFact fact = mail.recipients().get(0).fact();
        assertEquals("complained", fact.status());
        assertEquals("Feedback-Type: abuse", fact.message());
        assertEquals("abuse", mail.recipients().get(1).context().feedbackType());
        assertEquals("feedback-report", mail.recipients().get(1).context().format());
    }

    @Test
    void recognisesAnAutoReplyByItsHeaders() {
        String reply = """
                Return-Path: <>
                From: Jane <jane@example.net>
                To: sender@example.org
                Subject: Away until May 5
                Auto-Submitted: auto-replied

                I am out of the office until May 5.
                """;
        ParsedMail mail = parse(reply);
        assertEquals(1, mail.recipients().size());
        BounceRecipient r = mail.recipients().get(0);
        assertEquals("jane@example.net", r.fact().recipient());
        assertEquals("auto-replied", r.fact().status());
        assertTrue(r.fact().message().startsWith("Away until May 5"));
        assertEquals("auto-reply", r.context().format());
    }

    @Test
    void saysWhyWhenTheMailIsNotABounce() {
        String personal = """
                From: Jane <jane@example.net>
                To: bob@example.org
                Subject: lunch?

                Are you free tomorrow? Write to jane@example.net.
                """;
        ParsedMail mail = parse(personal);
        assertTrue(mail.recipients().isEmpty());
        assertTrue(mail.detail().startsWith("no failed recipient found"), mail.detail());
    }

    @Test
    void readsATruncatedMultipartAsFarAsItGoes() {
        String truncated = DSN.substring(0, DSN.indexOf("Original-Recipient: rfc822;second"));
        ParsedMail mail = parse(truncated);
        assertEquals(List.of("first@example.net"), recipients(mail));
    }

    @Test
    void skipsALargeAttachmentWithoutKeepingIt() {
        ByteArrayOutputStream mail = new ByteArrayOutputStream();
        String head = DSN.substring(0, DSN.indexOf("--B1--"));
        mail.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        mail.writeBytes("--B1\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n".getBytes(StandardCharsets.US_ASCII));
        byte[] junk = new byte[15 * 1024 * 1024];
        new Random(4).nextBytes(junk);
        mail.writeBytes(Base64.getMimeEncoder().encode(junk));
        mail.writeBytes("\n--B1--\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(mail.size() > 20 * 1024 * 1024);
        ParsedMail parsed = parser.parse(mail.toByteArray());
        assertEquals(List.of("first@example.net", "second@example.net"), recipients(parsed));
    }

    @Test
    void refusesAnEmptyBody() {
        MalformedMailException e = assertThrows(MalformedMailException.class, () -> parser.parse(" \r\n\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void refusesBinaryJunk() {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        MalformedMailException e = assertThrows(MalformedMailException.class, () -> parser.parse(junk));
        assertTrue(e.getMessage().contains("binary"), e.getMessage());
    }

    @Test
    void refusesTextThatDoesNotStartWithAHeader() {
        MalformedMailException e = assertThrows(MalformedMailException.class,
                () -> parser.parse("550 5.1.1 user unknown\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void leavesOutAnAddressThatIsNotOne() {
        String dsn = DSN.replace("Final-Recipient: rfc822; first@example.net", "Final-Recipient: rfc822; first");
        BounceRecipient r = parse(dsn).recipients().get(0);
        assertEquals(1, r.index());
        assertNull(r.fact().recipient());
        assertNotNull(r.fact().message());
    }

    private ParsedMail parse(String mail) {
        return parser.parse(mail.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> recipients(ParsedMail mail) {
        return mail.recipients().stream().map(r -> r.fact().recipient()).toList();
    }
}
