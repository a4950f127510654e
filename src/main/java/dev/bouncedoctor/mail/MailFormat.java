package dev.bouncedoctor.mail;

import java.util.List;

/**
 * One way a mail can report on its recipients (RFC 3464 delivery status, RFC 5965 feedback report, an RFC 3834
 * auto-reply, a plain-text bounce, …), one class each. {@link BounceMailParser} tries them in turn.
 */
interface MailFormat {

    /**
     * The recipients the mail reports on, read as this format, in the mail's order and numbered from 1; empty when the
     * mail is not in this format or names no recipient in it: the next format is tried then.
     */
    List<BounceRecipient> read(Envelope mail);

    /**
     * Why the mail, though in this format, names no failed recipient (an SES notification of an open, say); null when it
     * is not in this format. Said, it ends the parsing: the later, guessing formats would take whatever address the
     * text holds, such as the sender, for a failed recipient.
     */
    default String nothingToReport(Envelope mail) {
        return null;
    }
}
