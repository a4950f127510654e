package dev.bouncedoctor.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.DeliveryFact;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mails whose recipient or text the parser used to miss or garble: a malformed Content-Type, ISO-2022-JP without a declared
 * charset, an mbox of several bounces, a bounce forwarded inside another, a quoted header summary, a bare reply code.
 */
class BounceMailFormatsTest {

    private final BounceMailParser parser = new BounceMailParser();

    @Test
    void readsATextPartWhoseContentTypeParametersLackTheirSemicolon() {
        ParsedMail mail = parse("""
                From: "Mail Deliver System" <MAILER-DAEMON>
                To: sender@example.org
                Subject: Returned Mail: User unknown
                Content-Type: multipart/mixed; boundary="B1"

                --B1
                Content-Type: text/plain
                   charset="iso-2022-jp"

                ---The following addresses had delivery errors---

                jane@example.net [User unknown]

                --B1--
                """);
        assertEquals(List.of("jane@example.net"), recipients(mail));
        assertTrue(fact(mail, 0).message().contains("[User unknown]"), fact(mail, 0).message());
        assertEquals("text/plain", MimeReader.mediaType("text/plain charset=\"iso-2022-jp\""));
        assertEquals("text/plain", MimeReader.mediaType(null));
    }

    @Test
    void readsANestedMultipartWhoseBoundaryParameterSitsOnItsOwnLine() {
        ParsedMail mail = parse("""
                From: post_master@vtext.example.com
                To: sender@example.org
                Subject: Re: Hello
                Content-Type: multipart/mixed; boundary="OUTER"

                --OUTER
                Content-Type: multipart/alternative;
                boundary="INNER"

                --INNER
                Content-Type: text/plain; charset=us-ascii
                Content-Transfer-Encoding: 7bit

                Error: Invalid user address

                Error message below:
                550 - Requested action not taken: no such user here

                Message details:
                  MAIL FROM: sender@example.org
                  RCPT TO: jane@vtext.example.com

                --INNER--

                --OUTER--
                """);
        assertEquals(List.of("jane@vtext.example.com"), recipients(mail));
        String message = fact(mail, 0).message();
        assertTrue(message.contains("no such user here"), message);
        assertFalse(message.contains("Content-Type"), message);
        assertFalse(message.contains("boundary="), message);
    }

    @Test
    void decodesIso2022JpByItsEscapesWhereNoCharsetIsDeclared() {
        String japanese = "\u30e6\u30fc\u30b6\u30fc Neko (jane@example.net) \u306f Domino \u30c7\u30a3\u30ec\u30af\u30c8\u30ea\u306b\u306f\u898b\u3064\u304b\u308a\u307e\u305b\u3093\u3002";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("""
                From: Postmaster@mx.example.net
                To: sender@example.org
                Subject: DELIVERY FAILURE
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-Type: message/delivery-status

                Reporting-MTA: dns;mx.example.net

                Final-Recipient: rfc822;jane@example.net
                Action: failed
                Status: 5.0.0
                Diagnostic-Code: X-Notes; """.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(japanese.getBytes(Charset.forName("ISO-2022-JP")));
        out.writeBytes("\n\n--B1--\n".getBytes(StandardCharsets.US_ASCII));
        ParsedMail mail = parser.parse(out.toByteArray());
        assertEquals(japanese, fact(mail, 0).message());
        assertEquals("x-notes", mail.recipients().get(0).context().diagnosticType());
    }

    @Test
    void readsEveryBounceOfAnMboxAndNumbersTheirRecipientsOn() {
        String one = """
                From MAILER-DAEMON  Thu Apr 29 23:34:45 2015
                Return-Path: <>
                From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
                To: sender@example.org
                Subject: Undelivered Mail Returned to Sender
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.org

                Final-Recipient: rfc822; %s
                Action: failed
                Status: 5.1.1
                Diagnostic-Code: smtp; 550 5.1.1 User unknown

                --B1--
                """;
        // The second "From " line directly after the first mail's last line, as some mailbox files have it.
        ParsedMail mail = parse(one.formatted("first@example.net") + one.formatted("second@example.net")
                + "\nFrom the body of a message, which is no separator\n");
        assertEquals(List.of("first@example.net", "second@example.net"), recipients(mail));
        assertEquals(2, mail.recipients().get(1).index());
        assertEquals(1, Mbox.messages("From: a@example.org\n\nFrom x Thu Apr 29 23:34:45 2015\nTo: b@example.org\n".getBytes(StandardCharsets.US_ASCII)).size());
    }

    @Test
    void findsTheRecipientOfABounceForwardedInsideAnother() {
        ParsedMail mail = parse("""
                From: "Mail Delivery Subsystem" <MAILER-DAEMON@gw.example.org>
                To: sender@example.org
                Subject: Returned mail: User unknown
                Content-Type: multipart/mixed; boundary="OUTER"

                --OUTER
                Content-Type: text/plain

                ----- The following addresses had permanent delivery errors -----

                --OUTER
                Content-Type: message/rfc822

                From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>
                To: sender@example.org
                Subject: Returned mail: User unknown
                Content-Type: multipart/report; report-type=delivery-status; boundary="INNER"

                --INNER
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.org

                Final-Recipient: RFC822; jane@example.net
                Action: failed
                Status: 5.1.1
                Diagnostic-Code: smtp; 550 5.1.1 User unknown

                --INNER--

                --OUTER--
                """);
        assertEquals(List.of("jane@example.net"), recipients(mail));
        assertEquals("5.1.1", fact(mail, 0).enhancedCode());
        assertEquals("delivery-status", mail.recipients().get(0).context().format());
    }

    @Test
    void takesTheToOfAQuotedHeaderSummaryForNoRecipient() {
        ParsedMail mail = parse("""
                From: System Administrator <postmaster@example.net>
                To: sender@example.org
                Subject: Undeliverable: Message

                Your message

                  To:      someone@example.net
                  Subject: Message
                  Sent:    Thu, 29 Apr 2009 23:00:00 -0400

                did not reach the following recipient(s):

                jane@example.jp on Thu, 29 Apr 2010 00:00:00 -0000
                    The recipient name is not recognized
                """);
        assertEquals(List.of("jane@example.jp"), recipients(mail));
        assertTrue(fact(mail, 0).message().contains("recipient name is not recognized"), fact(mail, 0).message());
    }

    @Test
    void cutsTheOriginalAtAHeaderWrittenWithoutASpaceAndFindsABracketedRecipient() {
        ParsedMail mail = parse("""
                From: mailer-daemon@mail.example.com
                To: sender@example.org
                Subject: Mail Delivery Status Notification (Delay)

                ----- The following addresses had fatal errors -----
                [Status: Error, Address: <jane@example.jp>, ResponseCode 421, , Host not reachable.]

                Message will be retried for 4 more day(s)

                ----- Transcript of session follows -----

                Received:from mail.example.com by mx.example.com
                To:<jane@example.jp>
                Subject:Hello
                """);
        assertEquals(List.of("jane@example.jp"), recipients(mail));
        assertEquals(421, fact(mail, 0).smtpCode());
        assertTrue(fact(mail, 0).message().contains("Message will be retried"), fact(mail, 0).message());
        assertFalse(fact(mail, 0).message().contains("Subject:Hello"), fact(mail, 0).message());
    }

    @Test
    void takesTheWholeTextWhenTheRecipientIsNamedInAListOfTheMessagesDetails() {
        ParsedMail mail = parse("""
                From: post_master@example.net
                To: sender@example.org
                Subject: Re:Test message

                Error: Invalid user address

                Error message below:
                550 - Requested action not taken: no such user here

                Message details:
                  Subject: Test message
                  MAIL FROM: sender@example.org
                  RCPT TO: jane@example.net
                  From: sender@example.org
                  Size (in bytes): 39
                """);
        assertEquals(List.of("jane@example.net"), recipients(mail));
        assertTrue(fact(mail, 0).message().contains("no such user here"), fact(mail, 0).message());
        assertEquals(550, fact(mail, 0).smtpCode());
    }

    @Test
    void addsTheHumanTextAroundABareReplyCode() {
        ParsedMail mail = parse("""
                From: Mail Delivery System <mailer-daemon@mx.example.org>
                To: sender@example.org
                Subject: Mail delivery failed: returning message to sender
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-type: text/plain; charset=us-ascii

                A message that you sent could not be delivered to one or more of its
                recipients. This is a permanent error. The following address(es) failed:

                  jane@example.net
                    host mx.example.net [192.0.2.1]
                    SMTP error from remote mail server after EHLO mx.example.org:
                    550 Rejected

                --B1
                Content-type: message/delivery-status

                Reporting-MTA: dns; mx.example.org

                Action: failed
                Final-Recipient: rfc822;jane@example.net
                Status: 5.0.0
                Diagnostic-Code: smtp; 550 Rejected

                --B1--
                """);
        assertEquals("jane@example.net host mx.example.net [192.0.2.1] SMTP error from remote mail server after EHLO mx.example.org: 550 Rejected",
                fact(mail, 0).message());
        assertEquals(550, fact(mail, 0).smtpCode());
    }

    @Test
    void takesTheWholeTextForTheOnlyRecipientOfAReportWithoutDiagnosticCode() {
        ParsedMail mail = parse("""
                From: mailer-daemon@mx.example.org
                To: sender@example.org
                Subject: Delivery Notification
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-Type: text/plain

                Your message has been enqueued and undeliverable for 1 day to the following recipients:

                Recipient address: jane@example.net
                Reason: unable to deliver this message after 1 day

                --B1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.org

                Final-Recipient: rfc822;jane@example.net
                Action: failed
                Status: 4.4.7

                --B1--
                """);
        assertTrue(fact(mail, 0).message().startsWith("Your message has been enqueued and undeliverable for 1 day"), fact(mail, 0).message());
    }

    @Test
    void readsAMailingListManagersNoticeAndSkipsTheListsOwnAddresses() {
        ParsedMail mail = parse("""
                Date: Fri, 29 Apr 2005 23:34:45 +0900
                Subject: You sender@example.org are not member (list ML)
                To: sender@example.org
                Message-ID: <200504292334.FMLFFFFFF0.list@example.org>
                X-MLServer: fml [fml 4.0.3 release (20011202/4.0.3)]
                List-Subscribe: <mailto:list-ctl@example.org?body=subscribe>
                From: list-admin@example.org

                You are not a member of this mailing list <list@example.org>.

                If you know the general guide of this list, please send mail to the address

                	list-ctl@example.org

                Original mail as follows:

                From: sender@example.org
                To: list@example.org
                """);
        assertEquals(List.of("list@example.org"), recipients(mail));
        assertEquals("bounced", fact(mail, 0).status());
        assertTrue(fact(mail, 0).message().startsWith("You are not a member of this mailing list"), fact(mail, 0).message());
        assertFalse(fact(mail, 0).message().contains("Original mail"), fact(mail, 0).message());
        // The same notice from a person is not a list manager's: no bounce.
        assertTrue(parse("""
                From: jane@example.org
                To: sender@example.org
                Subject: hello
                X-MLServer: fml

                You are not a member of this mailing list <list@example.org>.
                """).recipients().isEmpty());
    }

    @Test
    void readsDsnFieldsWrittenBeforeTheFinalRecipientOfTheirGroup() {
        ParsedMail mail = parse("""
                From: Facebook <mailer-daemon@mx.facebook.example>
                To: sender@example.org
                Subject: Sorry, your message could not be delivered
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-Type: text/plain

                This message was created automatically.

                --B1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; 192.0.2.1
                Arrival-Date: Thu, 29 Apr 2012 23:34:45 -0700

                Diagnostic-Code: smtp; 550 5.1.1 RCP-P1 Refused due to recipient preferences
                Status: 5.1.1
                Final-Recipient: rfc822; jane@facebook.example
                Action: failed

                --B1--
                """);
        assertEquals(List.of("jane@facebook.example"), recipients(mail));
        assertEquals("5.1.1", fact(mail, 0).enhancedCode());
        assertEquals(550, fact(mail, 0).smtpCode());
        assertTrue(fact(mail, 0).message().startsWith("550 5.1.1 RCP-P1"), fact(mail, 0).message());
        assertEquals("failed", mail.recipients().get(0).context().action());
    }

    @Test
    void takesTheRemoteServersCodesQuotedInsideTheReportingMtasOwn() {
        ParsedMail mail = parse(dsn("5.0.0", "smtp; 5.1.0 - Unknown address error 550-'5.7.1 <bounce@ses.example>... Access denied' (delivery attempts: 0)", "failed"));
        assertEquals("5.7.1", fact(mail, 0).enhancedCode());
        assertEquals(550, fact(mail, 0).smtpCode());

        mail = parse(dsn("4.4.7", "smtp; 554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>", "failed"));
        assertEquals("4.4.2", fact(mail, 0).enhancedCode());
        assertEquals(421, fact(mail, 0).smtpCode());

        // Sendmail's own "554 <address>..." passing on the remote's reply
        assertEquals(new SpokenCodes(550, null),
                SpokenCodes.in("554 <jane@example.org>... 550 Host unknown (Authoritative answer from name server)", true));
        // no quoted reply: the text's first codes
        assertEquals(new SpokenCodes(554, null),
                SpokenCodes.in("554 <jane@example.org>... Remote protocol error 550 example.org (smtp)... 550 Host unknown", true));
        assertEquals(new SpokenCodes(550, "5.1.1"),
                SpokenCodes.in("550 5.1.1 <jane@example.org>... User unknown", true));
    }

    @Test
    void takesTheFailingReplyNotTheStepsThatWentWell() {
        ParsedMail mail = parse("""
                From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
                To: postmaster@mx.example.org
                Subject: Undelivered Mail Returned to Sender

                Transcript of session follows.

                 Out: 220 mx.example.org ESMTP
                 In:  MAIL FROM:<sender@example.org>
                 Out: 250 2.1.0 Ok
                 In:  RCPT TO:<jane@example.net>
                 Out: 250 2.1.5 Ok
                 In:  DATA
                 Out: 354 End data with <CR><LF>.<CR><LF>
                 Out: 451 4.3.0 Error: queue file write error
                 In:  QUIT
                 Out: 221 2.0.0 Bye
                """);
        DeliveryFact failed = fact(mail, mail.recipients().size() - 1);
        assertEquals(451, failed.smtpCode());
        assertEquals("4.3.0", failed.enhancedCode());
        // a greeting before the refusal
        assertEquals(new SpokenCodes(421, "4.2.1"), SpokenCodes.in("220-laposte 421 4.2.1 Service refused, please try later.", true));
        // a delivery keeps its 2xx
        assertEquals(new SpokenCodes(250, "2.0.0"), SpokenCodes.in("250 2.0.0 Ok: queued 550 later", false));
    }

    @Test
    void keepsASpecificStatusAgainstAnUnspecificCodeOrAnExitStatus() {
        // A local delivery program's exit status (x-unix) is no reply code; the transcript's reply is.
        ParsedMail mail = parse("""
                From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.jp>
                To: sender@example.org
                Subject: Returned mail: see transcript for details
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1

                   ----- The following addresses had permanent fatal errors -----
                "|/home/jane/mail/catch.pl"
                    (reason: 255)
                    (expanded from: <jane@example.jp>)

                   ----- Transcript of session follows -----
                554 5.3.0 unknown mailer error 255

                --B1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.jp

                Final-Recipient: RFC822; jane@example.jp
                Action: failed
                Status: 5.3.0
                Diagnostic-Code: X-Unix; 255

                --B1--
                """);
        assertEquals(554, fact(mail, 0).smtpCode());
        assertEquals("5.3.0", fact(mail, 0).enhancedCode());
        // Sendmail's generic 5.0.0 in the transcript does not replace the Status 5.3.0
        mail = parse(dsn("5.3.0", "X-Unix; 77", "failed").replace("This is a bounce.", "550 5.0.0 <jane@example.net>... Insufficient permission"));
        assertEquals("5.3.0", fact(mail, 0).enhancedCode());
        assertEquals(550, fact(mail, 0).smtpCode());
    }

    @Test
    void takesTheRemotesPermanentCodeWhenTheStatusContradictsTheAction() {
        ParsedMail mail = parse(dsn("4.5.0", "smtp; 550 5.5.0 Service refused, please try later.", "failed"));
        assertEquals("5.5.0", fact(mail, 0).enhancedCode());
        assertEquals(550, fact(mail, 0).smtpCode());
        // a Status that agrees with the Action stays
        mail = parse(dsn("4.4.7", "smtp; 550 5.1.1 User unknown", "delayed"));
        assertEquals("4.4.7", fact(mail, 0).enhancedCode());
    }

    @Test
    void readsSesEventPublishingMailedAsANotificationAndNeverTakesTheSenderForARecipient() {
        // SES event publishing names its type eventType where feedback notifications say notificationType; the sender
        // (mail.source) and the SNS envelope's addresses are in the text too, and are no recipients.
        ParsedMail bounce = parse(sesMail("""
                {"eventType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"recipient@example.net",\
                "action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2017-08-05T00:41:02.669Z",\
                "reportingMTA":"dsn; mta.example.net"},"mail":{"timestamp":"2017-08-05T00:40:02.012Z","source":"Sender Name <sender@example.org>",\
                "destination":["recipient@example.net"]}}"""));
        assertEquals(List.of("recipient@example.net"), recipients(bounce));
        assertEquals("bounced", fact(bounce, 0).status());
        assertEquals("5.1.1", fact(bounce, 0).enhancedCode());
        assertTrue(fact(bounce, 0).message().contains("550 5.1.1 user unknown"), fact(bounce, 0).message());

        ParsedMail complaint = parse(sesMail("""
                {"eventType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"recipient@example.net"}],\
                "complaintFeedbackType":"abuse","timestamp":"2017-08-05T00:41:02.669Z"},"mail":{"source":"sender@example.org",\
                "destination":["recipient@example.net"]}}"""));
        assertEquals(List.of("recipient@example.net"), recipients(complaint));
        assertEquals("complained", fact(complaint, 0).status());

        ParsedMail delay = parse(sesMail("""
                {"eventType":"DeliveryDelay","deliveryDelay":{"delayType":"MailboxFull","timestamp":"2020-06-16T00:15:40.641Z",\
                "delayedRecipients":[{"emailAddress":"recipient@example.net","status":"4.2.2","diagnosticCode":"smtp; 452 4.2.2 mailbox full"}]},\
                "mail":{"source":"sender@example.org","destination":["recipient@example.net"]}}"""));
        assertEquals(List.of("recipient@example.net"), recipients(delay));
        assertEquals("deferred", fact(delay, 0).status());

        // An event about the mail, not a failure (Send, Open, Click...): no recipient at all, least of all the sender.
        ParsedMail open = parse(sesMail("""
                {"eventType":"Open","open":{"ipAddress":"192.0.2.1","timestamp":"2017-08-09T22:00:19.652Z"},\
                "mail":{"source":"sender@example.org","destination":["recipient@example.net"]}}"""));
        assertFalse(recipients(open).contains("sender@example.org"), recipients(open).toString());
        assertTrue(recipients(open).isEmpty(), recipients(open).toString());
    }

    /** An SES notification as SNS mails it to an email subscription: the JSON alone in a text/plain body. */
    private static String sesMail(String json) {
        return """
                From: SES Events <no-reply@sns.amazonaws.com>
                To: ops@example.org
                Subject: AWS Notification Message
                Content-Type: text/plain; charset=UTF-8

                %s
                """.formatted(json);
    }

    /** A delivery-status report for jane@example.net with the given Status, Diagnostic-Code and Action. */
    private static String dsn(String status, String diagnostic, String action) {
        return """
                From: MAILER-DAEMON@mta.example.org
                To: sender@example.org
                Subject: Delivery Status Notification (Failure)
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-Type: text/plain

                This is a bounce.

                --B1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mta.example.org

                Final-Recipient: rfc822; jane@example.net
                Action: %s
                Status: %s
                Diagnostic-Code: %s

                --B1--
                """.formatted(action, status, diagnostic);
    }

    private ParsedMail parse(String mail) {
        return parser.parse(mail.getBytes(StandardCharsets.UTF_8));
    }

    private static DeliveryFact fact(ParsedMail mail, int i) {
        return mail.recipients().get(i).fact();
    }

    private static List<String> recipients(ParsedMail mail) {
        return mail.recipients().stream().map(r -> r.fact().recipient()).toList();
    }
}
