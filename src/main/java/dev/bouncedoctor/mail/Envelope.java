package dev.bouncedoctor.mail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.james.mime4j.stream.Field;

/**
 * A bounce as every format reads it: its MIME parts, what its own header says (Subject, From, Date,
 * X-Failed-Recipients), the returned original's sender and To, the addresses that are never a failed recipient, whether
 * it looks like a bounce at all, and the text it has for people. What costs something to work out is worked out when
 * first asked for.
 */
final class Envelope {

    // mayBeListField is a cheap test of what this needs (ParserShortcutsTest checks the corpus).
    static final Pattern LIST_FIELD = Pattern.compile("(?i)list-[a-z-]+|mailing-list|x-ml-[a-z-]+");

    private final Mail mail;
    private final String subject;
    private final String from;
    private final String sender;
    private final Supplier<Instant> date;
    private final Set<String> ownAddresses;
    private final List<String> failedRecipients;
    private final List<String> originalTo;
    private final String originalToField;
    private final boolean bounceLike;
    private final boolean readDates;
    private final boolean enclosed;
    private final Supplier<String> humanText;
    private final Supplier<Set<String>> contacts;

    private Envelope(Mail mail, String subject, String from, String sender, Supplier<Instant> date, Set<String> ownAddresses,
                     List<String> failedRecipients, List<String> originalTo, String originalToField, boolean bounceLike, boolean readDates,
                     boolean enclosed) {
        this.mail = mail;
        this.subject = subject;
        this.from = from;
        this.sender = sender;
        this.date = date;
        this.ownAddresses = ownAddresses;
        this.failedRecipients = failedRecipients;
        this.originalTo = originalTo;
        this.originalToField = originalToField;
        this.bounceLike = bounceLike;
        this.readDates = readDates;
        this.enclosed = enclosed;
        // The human-readable text is only needed when the structured parts do not say enough: built once, on demand.
        this.humanText = new Once<>(() -> HumanText.of(mail));
        this.contacts = new Once<>(() -> Set.copyOf(RecipientBlocks.contacts(humanText.get())));
    }

    /**
     * {@code readDates} false leaves every date out (null); {@code enclosed} true for a bounce found inside another, whose
     * own enclosures are not looked into.
     */
    static Envelope of(Mail mail, boolean readDates, boolean enclosed) {
        String subject = mail.field("Subject");
        String fromField = mail.field("From");
        String from = AddressFinder.first(fromField);
        Set<String> own = new LinkedHashSet<>();
        if (from != null) {
            own.add(from.toLowerCase(Locale.ROOT));
        }
        String originalSender = null;
        for (String name : List.of("To", "Delivered-To")) {
            for (String value : mail.all(name)) {
                for (String a : AddressFinder.all(value)) {
                    own.add(a.toLowerCase(Locale.ROOT));
                    if (originalSender == null && name.equals("To")) {
                        originalSender = a;
                    }
                }
            }
        }
        List<String> originalTo = new ArrayList<>();
        String originalToField = null;
        for (Part p : mail.parts()) {
            boolean headerOnly = ReturnedOriginal.isHeaderType(p.type());
            if (p.type().equals("message/rfc822") || headerOnly) {
                Part headers = headerOnly && p.text() != null ? ReturnedOriginal.header(p.text()) : p;
                for (String name : List.of("From", "Return-Path", "Sender")) {
                    String a = AddressFinder.first(headers.field(name));
                    if (a != null) {
                        own.add(a.toLowerCase(Locale.ROOT));
                        if (originalSender == null) {
                            originalSender = a;
                        }
                    }
                }
                if (originalTo.isEmpty()) {
                    originalTo.addAll(recipientsOf(headers));
                    originalToField = headers.field("To");
                }
            }
        }
        // A mailing list's own addresses (its -ctl, -request, owner addresses) are not recipients that failed either.
        for (Field f : mail.fields()) {
            if (mayBeListField(f.getName()) && LIST_FIELD.matcher(f.getName()).matches()) {
                for (String a : AddressFinder.all(Decoding.field(f.getBody()))) {
                    own.add(a.toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String> failed = new ArrayList<>();
        for (String value : mail.all("X-Failed-Recipients")) {
            failed.addAll(AddressFinder.all(value));
        }
        boolean bounceLike = BounceSigns.bounceLike(mail, fromField, subject, failed);
        // Recipients of a delivery-status report mostly carry their own Last-Attempt-Date or Arrival-Date, and then the
        // header's date is never used: parsed when first asked for.
        String dateField = readDates ? mail.field("Date") : null;
        Supplier<Instant> date = readDates ? new Once<>(() -> MailDates.parse(dateField)) : () -> null;
        return new Envelope(mail, subject, from, originalSender, date, own, failed, originalTo, originalToField, bounceLike, readDates,
                enclosed);
    }

    /**
     * Whom the returned original was for: the recipient a feedback loop names in it (Microsoft's JMRP writes
     * X-HmXmrOriginalRecipient into the reported message, whose To it may leave as it was or redact); else its To; else,
     * for a To without an address ("undisclosed-recipients:;", a Bcc), the envelope recipient that the receiving MTA or
     * store wrote into it: X-Original-To and Delivered-To (Postfix, qmail, Dovecot), Envelope-To (Exim), X-Envelope-To.
     */
    private static List<String> recipientsOf(Part original) {
        for (String name : ORIGINAL_RECIPIENT_FIELDS) {
            List<String> named = AddressFinder.all(original.field(name));
            if (!named.isEmpty()) {
                return named;
            }
        }
        return List.of();
    }

    static final List<String> ORIGINAL_RECIPIENT_FIELDS = List.of("X-HmXmrOriginalRecipient", "To", "X-Original-To", "Delivered-To",
            "Envelope-To", "X-Envelope-To");

    /**
     * A cheap test that {@link #LIST_FIELD} needs, run on every header field's name: each of its forms starts with an ASCII 'l',
     * 'm' or 'x' in either case ((c | 0x20) is the lower case of an ASCII letter, and no other character becomes one of those).
     */
    static boolean mayBeListField(String name) {
        return !name.isEmpty() && "lmx".indexOf(name.charAt(0) | 0x20) >= 0;
    }

    /** The mail's MIME parts. */
    Mail mail() {
        return mail;
    }

    /** The bounce's Subject, decoded. */
    String subject() {
        return subject;
    }

    /** The bounce's From address (the mailer daemon's, or the auto-replying person's). */
    String from() {
        return from;
    }

    /** The original sender: the bounce's To, else the returned original's From, Return-Path or Sender. */
    String sender() {
        return sender;
    }

    /** The bounce's Date, or null (also when dates are left out). */
    Instant date() {
        return date.get();
    }

    /** A date field of the mail (Last-Attempt-Date, Arrival-Date, …), unless dates are left out. */
    Instant dateOf(String value) {
        return readDates ? MailDates.parse(value) : null;
    }

    /** The original sender's, the daemon's and a mailing list's addresses, lower case: never a failed recipient. */
    Set<String> ownAddresses() {
        return ownAddresses;
    }

    /** The X-Failed-Recipients, in order. */
    List<String> failedRecipients() {
        return failedRecipients;
    }

    /**
     * Whom the returned original was for: from its MIME part (its To, or the recipient fields {@link #recipientsOf} reads),
     * else the To of an original returned inline.
     */
    List<String> originalTo() {
        return originalTo.isEmpty() ? ReturnedOriginal.inlineTo(mail) : originalTo;
    }

    /**
     * The returned original's To as written, display names and all: from its MIME part, else from an original returned
     * inline; null when there is none.
     */
    String originalToField() {
        return originalToField != null ? originalToField : ReturnedOriginal.inlineToField(mail);
    }

    /** Whether the mail looks like a bounce ({@link BounceSigns}). */
    boolean bounceLike() {
        return bounceLike;
    }

    /** Whether this bounce was found inside another. */
    boolean enclosed() {
        return enclosed;
    }

    /** The text the bounce has for people ({@link HumanText}), made on first use. */
    String humanText() {
        return humanText.get();
    }

    /** The addresses, lower case, that the text for people gives as a contact ({@link RecipientBlocks#contacts}), found once. */
    Set<String> contacts() {
        return contacts.get();
    }
}
