package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.DeliveryFact;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one raw mail into one {@link DeliveryFact} per recipient it reports on. It extracts, it does not judge: the
 * recipient, the DSN action and status, the most telling diagnostic text, the remote MTA. Which reason that adds up to
 * is the rules' business. Each format a mail can come in is its own class ({@link MailFormat}); this class reads the
 * MIME structure, hands the mail to the formats in {@link #formats}'s order, and numbers the recipients of an mbox.
 */
public final class BounceMailParser {

    /** The recipients of one request that are diagnosed; a mail naming more says how many it named (ParsedMail.detail). */
    public static final int MAX_RECIPIENTS = 100;

    private final MimeReader reader = new MimeReader();
    private final boolean readDates;

    /**
     * The formats a mail is read as, tried in this order until one finds a recipient. The order is how much each can be
     * trusted:
     * <ol>
     *   <li>the reports a mail declares by MIME type, whose fields name each recipient: a feedback report first, since it
     *       says outright that the mail is a complaint (also its fields in a text part, and a JMRP complaint that returns
     *       the reported mail without a report), then a delivery-status report (or DSN fields in a bounce's text part);</li>
     *   <li>a JSON notification, machine-readable too, but found only by reading the text parts;</li>
     *   <li>an auto-reply from a person, before any reading of text as a bounce: an out-of-office text names addresses at
     *       the start of its lines, which the plain-text reader would take for failed recipients. Not from a mailer daemon,
     *       whose bounces Exim marks auto-replied too;</li>
     *   <li>a bounce returned inside this one with its delivery-status report, or a feedback report forwarded inside it:
     *       the enclosed report's fields say more than guessing from this mail's text;</li>
     *   <li>a plain-text bounce, guessed from the text for people: the last reading of a mail that looks like a bounce;</li>
     *   <li>a mail store's quota warning to the mailbox's owner: no bounce names the mailbox it is about, so it comes after
     *       every reading as one, and before the auto-reply from anyone, which a store's notice is not;</li>
     *   <li>an auto-reply from anyone: a mail with an auto-reply marker that no reading as a bounce found a recipient in.</li>
     * </ol>
     */
    private final List<MailFormat> formats;

    public BounceMailParser() {
        this(true);
    }

    private BounceMailParser(boolean readDates) {
        this.readDates = readDates;
        this.formats = List.of(new FeedbackReport(), new DeliveryStatusReport(), new JsonNotification(), AutoReply.fromAPerson(),
                new ForwardedBounce(this::readEnclosed), new PlainTextBounce(), new QuotaWarning(), AutoReply.fromAnyone());
    }

    /**
     * A parser that leaves every recipient's {@code occurredAt} empty: for classification, whose rules never ask when a
     * delivery was attempted, and to which parsing the dates of hundreds of mails is a cost for nothing.
     */
    public static BounceMailParser withoutDates() {
        return new BounceMailParser(false);
    }

    public ParsedMail parse(InputStream in) throws IOException {
        return parse(MimeReader.readCapped(in));
    }

    /**
     * The recipients of one mail; of each mail in turn when the input is an mbox holding several (a mailbox file or a
     * saved folder of bounces), numbered on across them.
     */
    public ParsedMail parse(byte[] raw) {
        return capped(parseAll(raw));
    }

    /**
     * At most {@link #MAX_RECIPIENTS}: an X-Failed-Recipients of 10,000 addresses took seconds and answered 13 MB. The
     * answer says that, and how many there were.
     */
    private static ParsedMail capped(ParsedMail mail) {
        int named = mail.recipients().size();
        if (named <= MAX_RECIPIENTS) {
            return mail;
        }
        return new ParsedMail(List.copyOf(mail.recipients().subList(0, MAX_RECIPIENTS)),
                "the mail names " + named + " failed recipients; the first " + MAX_RECIPIENTS + " are diagnosed");
    }

    private ParsedMail parseAll(byte[] raw) {
        List<byte[]> mails = Mbox.messages(raw);
        if (mails.size() == 1) {
            return parseOne(raw, false);
        }
        List<BounceRecipient> all = new ArrayList<>();
        String detail = null;
        for (byte[] one : mails) {
            ParsedMail parsed;
            try {
                parsed = parseOne(one, false);
            } catch (MalformedMailException e) {
                // one damaged message in the mbox does not hide the others
                detail = detail == null ? e.getMessage() : detail;
                continue;
            }
            for (BounceRecipient r : parsed.recipients()) {
                all.add(new BounceRecipient(all.size() + 1, r.fact(), r.context()));
            }
            if (detail == null) {
                detail = parsed.detail();
            }
        }
        return all.isEmpty() ? new ParsedMail(List.of(), detail) : new ParsedMail(List.copyOf(all), null);
    }

    /** A bounce returned inside another ({@link ForwardedBounce}): its own enclosures are not looked into. */
    private ParsedMail readEnclosed(byte[] raw) {
        return parseOne(raw, true);
    }

    private ParsedMail parseOne(byte[] raw, boolean enclosed) {
        Envelope mail = Envelope.of(reader.read(raw), readDates, enclosed);
        for (MailFormat format : formats) {
            List<BounceRecipient> found = format.read(mail);
            if (!found.isEmpty()) {
                return new ParsedMail(List.copyOf(found), null);
            }
            String nothing = format.nothingToReport(mail);
            if (nothing != null) {
                return new ParsedMail(List.of(), "no failed recipient found: " + nothing);
            }
        }
        String why = mail.bounceLike()
                ? "the mail looks like a bounce but names no recipient that failed"
                : "the mail is not a bounce: no delivery-status or feedback report, no auto-reply marker, and no sign of a mailer daemon";
        return new ParsedMail(List.of(), "no failed recipient found: " + why);
    }
}
