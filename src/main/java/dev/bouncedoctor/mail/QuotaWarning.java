package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.BounceContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A mail store's notice to the owner of a mailbox that it is (nearly) full: no bounce of anyone's message, so it names no
 * failed recipient and returns no original; the mailbox it is about is the one it was delivered to. Written by the store
 * or the delivery agent from a template, as plain text:
 * <ul>
 *   <li>Courier's and maildrop's deliverquota -w places its quotawarnmsg into the maildir ("Mail quota warning", To a
 *       group with no address, so only the delivery header names the mailbox; courier-mta.org/deliverquota.html);</li>
 *   <li>Dovecot's quota_warning runs a script that mails the user through dovecot-lda ("quota warning", often with no
 *       To at all; doc.dovecot.org, Quota plugin);</li>
 *   <li>Exim's appendfile transport sends its quota_warn_message, addressed To the mailbox (Exim spec, chapter 26);</li>
 *   <li>hosting panels (cPanel) and Exchange/Messaging Server quota notices, which name the mailbox in the subject or
 *       address the owner.</li>
 * </ul>
 * Read only when no format before found a recipient, and only from a mail that says it is about a quota or a full
 * mailbox and comes from the mail system (a mailer daemon or postmaster, a null sender, Auto-Submitted: auto-generated) or
 * says so in its subject. Recipient: an address the subject names, else the notice's To, else the envelope recipient
 * the store wrote into its header (Delivered-To, X-Original-To, Envelope-To), else an address its text names; status
 * {@code deferred} (nothing was refused yet; the mailbox is about to refuse); the message is the subject, then the text.
 * Which reason that is stays with the rules.
 */
final class QuotaWarning implements MailFormat {

    static final String FORMAT = "quota-warning";

    /**
     * What such a notice is about, in the words of the templates above: the quota, or the mailbox being full or over
     * its size limit. A marker of the format, not a reason: the rules read the text.
     */
    private static final Pattern ABOUT_QUOTA = Pattern.compile(
            "(?i)\\bquota\\b|\\bmail ?box(?:es)?\\b[^\\n.]{0,60}?\\b(?:full|size limit|storage limit|exceeded)\\b");
    /** The fields a delivery agent writes with the envelope recipient, the mailbox a notice was put into. */
    private static final List<String> DELIVERY_FIELDS = List.of("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To");

    @Override
    public List<BounceRecipient> read(Envelope env) {
        Mail mail = env.mail();
        String subject = env.subject() == null ? "" : env.subject();
        boolean quotaSubject = ABOUT_QUOTA.matcher(subject).find();
        // A bounce's subject ("failure notice", "Undeliverable: …") says the mail is about a message that failed, to its
        // sender: its To is then the sender, never the full mailbox.
        if (!quotaSubject && !fromTheMailSystem(env) || returnsAMessage(mail) || BounceSigns.bounceSubject(env.subject())) {
            return List.of();
        }
        String human = env.humanText();
        if (!quotaSubject && !ABOUT_QUOTA.matcher(human).find()) {
            return List.of();
        }
        Set<String> notThem = new LinkedHashSet<>();
        if (env.from() != null) {
            notThem.add(env.from().toLowerCase(Locale.ROOT));
        }
        for (String a : AddressFinder.all(mail.field("Reply-To"))) {
            notThem.add(a.toLowerCase(Locale.ROOT));
        }
        List<String> mailbox = addresses(List.of(subject), notThem);
        if (mailbox.isEmpty()) {
            mailbox = addresses(mail.all("To"), notThem);
        }
        for (int i = 0; i < DELIVERY_FIELDS.size() && mailbox.isEmpty(); i++) {
            mailbox = addresses(mail.all(DELIVERY_FIELDS.get(i)), notThem);
        }
        if (mailbox.isEmpty()) {
            mailbox = addresses(List.of(human), notThem);
        }
        if (mailbox.isEmpty()) {
            return List.of();
        }
        String message = (subject + "\n" + human).trim();
        BounceContext context = new BounceContext(FORMAT, null, null, null, null, null, null, env.subject(), env.from(), null);
        List<BounceRecipient> out = new ArrayList<>();
        for (String a : mailbox) {
            out.add(RecipientFacts.of(out.size() + 1, a, env, "deferred", null, message, env.date(), context));
        }
        return out;
    }

    /** A mailer daemon or postmaster, a null sender, or Auto-Submitted: auto-generated (RFC 3834), as the templates are sent. */
    private static boolean fromTheMailSystem(Envelope env) {
        Mail mail = env.mail();
        String fromField = mail.field("From");
        String autoSubmitted = Texts.lower(mail.field("Auto-Submitted"));
        String returnPath = mail.field("Return-Path");
        return fromField != null && BounceSigns.namesMailerDaemon(fromField)
                || autoSubmitted != null && autoSubmitted.startsWith("auto-generated")
                || returnPath != null && AddressFinder.withoutJunk(returnPath).isEmpty();
    }

    /** Whether the mail reports on or returns a message: a bounce or a report then, which other formats read. */
    private static boolean returnsAMessage(Mail mail) {
        return mail.parts().stream().anyMatch(p -> p.type().equals("message/rfc822") || ReturnedOriginal.isHeaderType(p.type())
                || DeliveryStatusReport.isReportType(p.type()) || p.type().equals("message/feedback-report"));
    }

    /** The distinct addresses in the values, in order, but those in {@code notThem} (lower case). */
    private static List<String> addresses(List<String> values, Set<String> notThem) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String a : AddressFinder.all(value)) {
                String key = a.toLowerCase(Locale.ROOT);
                if (!notThem.contains(key) && seen.add(key)) {
                    out.add(a);
                }
            }
        }
        return out;
    }
}
