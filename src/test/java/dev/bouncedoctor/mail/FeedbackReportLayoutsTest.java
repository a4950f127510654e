package dev.bouncedoctor.mail;

import static dev.bouncedoctor.mail.ParsedMails.fact;
import static dev.bouncedoctor.mail.ParsedMails.parse;
import static dev.bouncedoctor.mail.ParsedMails.recipients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Feedback reports in layouts other than RFC 5965's multipart/report with Original-Rcpt-To, written here from RFC 5965 /
 * RFC 6591 and Microsoft's JMRP description: the report's fields in a text part, the recipient only in the reported
 * mail's header, that header under a misspelt type, no report at all (JMRP), a report forwarded inside another mail.
 */
class FeedbackReportLayoutsTest {

    @Test
    void readsTheReportsFieldsFromAPlainTextBody() {
        ParsedMail mail = parse("""
                From: fbl@isp.example
                To: fbl-reports@sender.example
                Subject: Abuse report
                MIME-Version: 1.0
                Content-Type: text/plain; charset=us-ascii

                Feedback-Type: abuse
                User-Agent: ISP-FBL/2.1
                Version: 1
                Original-Mail-From: <news@sender.example>
                Original-Rcpt-To: <gina@isp.example>
                Source-IP: 192.0.2.10

                Received: from mta.sender.example (192.0.2.10) by mx.isp.example
                From: News <news@sender.example>
                To: someone-else@isp.example
                Subject: Our offers
                """);
        assertEquals(List.of("gina@isp.example"), recipients(mail));
        assertEquals("complained", fact(mail, 0).status());
        assertEquals("Feedback-Type: abuse", fact(mail, 0).message());
        assertEquals(FeedbackReport.FORMAT, mail.recipients().get(0).context().format());
    }

    @Test
    void aTextPartWithAFeedbackTypeButNoneOfTheOtherRequiredFieldsIsNoReport() {
        ParsedMail mail = parse("""
                From: helpdesk@isp.example
                To: alice@sender.example
                Subject: About your question

                Feedback-Type: is a field of RFC 5965.
                """);
        assertTrue(mail.recipients().isEmpty(), () -> mail.recipients().toString());
    }

    @Test
    void aBounceThatReturnsAReportInlineIsStillABounce() {
        ParsedMail mail = parse("""
                From: MAILER-DAEMON@mx.sender.example
                To: fbl@isp.example
                Subject: failure notice

                Hi. This is the qmail-send program at mx.sender.example.
                I'm afraid I wasn't able to deliver your message to the following addresses.

                <fbl-reports@sender.example>:
                Sorry, no mailbox here by that name. (#5.1.1)

                --- Below this line is a copy of the message.

                From: fbl@isp.example
                To: fbl-reports@sender.example
                Subject: Abuse report

                Feedback-Type: abuse
                User-Agent: ISP-FBL/2.1
                Version: 1
                Original-Rcpt-To: <gina@isp.example>
                """);
        assertEquals(List.of("fbl-reports@sender.example"), recipients(mail));
        assertEquals("bounced", fact(mail, 0).status());
    }

    @Test
    void takesTheEnvelopeRecipientOfAReportedMailWithoutATo() {
        ParsedMail mail = parse("""
                From: fbl@isp.example
                To: fbl-reports@sender.example
                Subject: Email Feedback Report for IP 192.0.2.10
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="XX"

                --XX
                Content-Type: text/plain; charset=us-ascii

                This is an email abuse report for an email message received from IP 192.0.2.10.

                --XX
                Content-Type: text/plain; name="report.txt"
                Content-Disposition: attachment; filename="report.txt"

                Feedback-Type: abuse
                User-Agent: ISP-FBL/2.1
                Version: 1

                --XX
                Content-Type: message/rfc822

                Received: from mta.sender.example by mx.isp.example
                From: News <news@sender.example>
                To: undisclosed-recipients:;
                Delivered-To: hank@isp.example
                Subject: Our offers

                Hello
                --XX--
                """);
        assertEquals(List.of("hank@isp.example"), recipients(mail));
        assertEquals("complained", fact(mail, 0).status());
        assertEquals("Feedback-Type: abuse", fact(mail, 0).message());
    }

    @Test
    void readsTheReportedHeaderUnderTheTypesGeneratorsMisspell() {
        ParsedMail mail = parse("""
                From: dmarc-noreply@receiver.example
                To: dmarc-failures@sender.example
                Subject: FW: Our offers
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report; boundary="AA"

                --AA
                Content-Type: text/plain

                This is an authentication failure report for an email message received from IP 192.0.2.10.

                --AA
                Content-Type: message/feedback-report

                Feedback-Type: auth-failure
                User-Agent: OpenDMARC-Filter/1.4.2
                Version: 1
                Reported-Domain: sender.example
                Auth-Failure: dmarc

                --AA
                Content-Type: message/rfc822-headers

                From: News <news@sender.example>
                X-Original-To: lea@receiver.example
                To: Undisclosed Recipients <>
                Subject: Our offers
                --AA--
                """);
        assertEquals(List.of("lea@receiver.example"), recipients(mail));
        assertEquals("Feedback-Type: auth-failure", fact(mail, 0).message());
    }

    @Test
    void aJunkMailReportWithoutAReportNamesTheRecipientInTheReportedMail() {
        ParsedMail mail = parse("""
                From: staff@hotmail.com
                To: jmrp@sender.example
                Subject: complaint about message from 192.0.2.10
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="ZZ"

                --ZZ
                Content-Type: message/rfc822
                Content-Disposition: inline

                X-HmXmrOriginalRecipient: <jack@outlook.example>
                Received: from mta.sender.example ([192.0.2.10]) by mx.outlook.example
                From: News <news@sender.example>
                To: <redacted>
                Subject: Our offers

                Hello
                --ZZ--
                """);
        assertEquals(List.of("jack@outlook.example"), recipients(mail));
        assertEquals("complained", fact(mail, 0).status());
        assertEquals("complaint about message from 192.0.2.10", fact(mail, 0).message());
    }

    @Test
    void aBounceThatReturnsAMessageIsNoJunkMailReport() {
        ParsedMail mail = parse("""
                From: MAILER-DAEMON@mx.example.net
                To: news@sender.example
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="BB"

                --BB
                Content-Type: text/plain

                <olga@example.net>: host mx.example.net said: 550 5.1.1 User unknown

                --BB
                Content-Type: message/rfc822

                From: News <news@sender.example>
                To: olga@example.net
                Subject: Our offers

                Hello
                --BB--
                """);
        assertEquals(List.of("olga@example.net"), recipients(mail));
        assertEquals("bounced", fact(mail, 0).status());
    }

    @Test
    void readsAFeedbackReportForwardedInsideAnotherMail() {
        ParsedMail mail = parse("""
                From: FBL Relay <fbl-relay@esp.example>
                To: abuse-desk@sender.example
                Subject: Fwd: FW: Our offers
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="OUT"

                --OUT
                Content-Type: text/plain

                Forwarded complaint below.

                --OUT
                Content-Type: message/rfc822

                From: fbl@isp.example
                To: fbl-reports@esp.example
                Subject: FW: Our offers
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report; boundary="IN"

                --IN
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: ISP-FBL/2.1
                Version: 1
                Original-Rcpt-To: <nina@isp.example>

                --IN
                Content-Type: text/rfc822-headers

                From: News <news@sender.example>
                To: nina@isp.example
                Subject: Our offers
                --IN--

                --OUT--
                """);
        assertEquals(List.of("nina@isp.example"), recipients(mail));
        assertEquals("complained", fact(mail, 0).status());
    }
}
