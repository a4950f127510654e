package dev.bouncedoctor.mail;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a mail looks like a bounce at all (a mailer daemon's, a mailing list manager's): the formats that guess from
 * text read only such mails, so that a person's letter that names addresses is not taken for one.
 */
final class BounceSigns {

    private static final Pattern BOUNCE_SENDER = Pattern.compile("(?i)mailer[-_]?daemon|post_?master|mail delivery|delivery subsystem|mailerdaemon|bounce");
    private static final Pattern BOUNCE_SUBJECT = Pattern.compile(
            "(?i)undeliver|deliver(?:y|ed)?[\\s_]+(?:status|fail|notif|report|incomplete|problem)|returned mail|failure notice|mail delivery|non.?deliver"
                    + "|not (?:be )?delivered|could not be delivered|bounce|delivery failure|mail error|error sending|rejected|returned to sender|delivery has failed");
    private static final Pattern LIST_ADMIN = Pattern.compile("(?i)(?:^|[<\\s\"])(?:owner-[^@\\s]+|[^@\\s<\"]+-(?:admin|owner))@");

    private BounceSigns() {
    }

    /**
     * {@code fromField}, {@code subject} and {@code failedRecipients} are the mail's own From, Subject and X-Failed-Recipients.
     * X-MS-Embedded-Report is the field Exchange 2000/2003 put on the non-delivery reports it wrote as text (Sisimai's
     * Exchange2003 reader keys on it): such a report may come from an administrator address and bear a localized subject.
     */
    static boolean bounceLike(Mail mail, String fromField, String subject, List<String> failedRecipients) {
        // The cheap signs first, the regular expressions last: most bounces show by their MIME structure alone.
        return mail.type().equals("multipart/report") || returnsOriginal(mail) || !failedRecipients.isEmpty() || nullSender(mail)
                || mail.field("X-MS-Embedded-Report") != null
                || fromField != null && namesMailerDaemon(fromField)
                || bounceSubject(subject)
                || listNotice(mail, fromField);
    }

    /**
     * Whether the subject is a bounce's: "Undeliverable", "Returned mail", "failure notice", Domino's "DELIVERY FAILURE:"
     * (also spelt "DELIVERY_FAILURE:", as Sisimai's Domino reader notes), …
     */
    static boolean bounceSubject(String subject) {
        return subject != null && BOUNCE_SUBJECT.matcher(subject).find();
    }

    /** Whether the From (a field or an address) names a mailer daemon, a postmaster or a bounce handler. */
    static boolean namesMailerDaemon(String from) {
        return BOUNCE_SENDER.matcher(from).find();
    }

    /** Whether the mail carries a report or the returned original (or its header). */
    private static boolean returnsOriginal(Mail mail) {
        return mail.parts().stream().anyMatch(p -> p.type().equals("message/rfc822") || ReturnedOriginal.isHeaderType(p.type())
                || DeliveryStatusReport.isReportType(p.type()));
    }

    /** An empty Return-Path ("<>"): a mail no one should answer, as a bounce is. */
    private static boolean nullSender(Mail mail) {
        String returnPath = mail.field("Return-Path");
        return returnPath != null && AddressFinder.withoutJunk(returnPath).isEmpty();
    }

    /** A mailing list manager refusing a posting or reporting a loop writes from the list's admin or owner address. */
    private static boolean listNotice(Mail mail, String fromField) {
        return (mail.field("X-MLServer") != null || mail.field("List-Id") != null || mail.field("Mailing-List") != null)
                && fromField != null && LIST_ADMIN.matcher(fromField).find();
    }
}
