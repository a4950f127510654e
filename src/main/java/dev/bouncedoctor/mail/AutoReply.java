package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.BounceContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * RFC 3834 auto-replies (out of office, vacation, "Automatic reply:"): one recipient, the auto-reply's From, with status
 * {@code auto-replied} and the subject, then the text, as its message. Known by {@code Auto-Submitted: auto-replied},
 * the X-Autoreply family of fields, {@code Precedence: auto_reply}, or an auto-reply subject.
 */
final class AutoReply implements MailFormat {

    static final String FORMAT = "auto-reply";

    private static final Pattern AUTO_SUBJECT = Pattern.compile(
            "(?i)^\\s*(?:auto(?:matic)?[ -]?(?:reply|response|respons|answer)|auto:|out of (?:the )?office|away from|vacation|abwesenheit|r[ée]ponse automatique|\u81ea\u52d5\u5fdc\u7b54|\u4e0d\u5728)");

    private final boolean onlyFromAPerson;

    private AutoReply(boolean onlyFromAPerson) {
        this.onlyFromAPerson = onlyFromAPerson;
    }

    /** An auto-reply whose From is an address, not a mailer daemon's: Exim marks its bounces auto-replied too. */
    static AutoReply fromAPerson() {
        return new AutoReply(true);
    }

    /** An auto-reply from anyone, a mailer daemon included. */
    static AutoReply fromAnyone() {
        return new AutoReply(false);
    }

    @Override
    public List<BounceRecipient> read(Envelope mail) {
        // A person's auto-reply comes from the person's address: one from the null sender ("From: <>") is an MTA's notice.
        if (!isAutoReply(mail) || onlyFromAPerson && (mail.from() == null || BounceSigns.namesMailerDaemon(mail.from()))) {
            return List.of();
        }
        String subject = mail.subject() == null ? "" : mail.subject();
        String message = (subject + "\n" + mail.humanText()).trim();
        BounceContext context = new BounceContext(FORMAT, null, null, null, null, null, null, mail.subject(), mail.from(), null);
        String recipient = dispositionRecipient(mail.mail());
        return List.of(RecipientFacts.of(1, recipient != null ? recipient : mail.from(), mail, "auto-replied", null, message, mail.date(),
                context));
    }

    /**
     * The Final-Recipient of a disposition notification (RFC 8098) the mail carries, or null: a Sieve reject (RFC 5429)
     * answers with one, from an address of the server's own ("Mail Delivery Subsystem &lt;admin@…&gt;"), and names there the
     * mailbox whose filter refused the message.
     */
    private static String dispositionRecipient(Mail mail) {
        for (Part p : mail.parts()) {
            if (p.type().equals("message/disposition-notification") && p.text() != null) {
                for (Map<String, List<String>> group : DsnFields.groups(p.text(), new HashMap<>())) {
                    String a = AddressFinder.valid(AddressFinder.ofTyped(DsnFields.first(group, "final-recipient")));
                    if (a != null) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    private static boolean isAutoReply(Envelope env) {
        Mail mail = env.mail();
        String autoSubmitted = Texts.lower(mail.field("Auto-Submitted"));
        String precedence = Texts.lower(mail.field("Precedence"));
        return autoSubmitted != null && autoSubmitted.startsWith("auto-replied")
                || mail.field("X-Autoreply") != null || mail.field("X-Autorespond") != null || mail.field("X-Autoresponder") != null
                || precedence != null && precedence.contains("auto_reply")
                || env.subject() != null && AUTO_SUBJECT.matcher(env.subject()).find();
    }
}
