package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.BounceContext;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.SmtpCodes;
import dev.bouncedoctor.model.WhiteSpace;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.dom.field.ParsedField;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.stream.Field;

/**
 * Turns one raw mail into one {@link DeliveryFact} per recipient it reports on. It extracts, it does
 * not judge: the recipient, the DSN action and status, the most telling diagnostic text, the remote
 * MTA. Which reason that adds up to is the rules' business. Where the format itself names the kind of
 * event, the fact says so generically (documented in the README):
 * <ul>
 *   <li>RFC 3464 delivery-status: Action failed → {@code bounced}, delayed → {@code deferred},
 *       delivered / relayed / expanded → {@code delivered};</li>
 *   <li>RFC 5965 feedback report → {@code complained}, message {@code Feedback-Type: <type>};</li>
 *   <li>RFC 3834 auto-reply → {@code auto-replied}, message: the subject and the start of the body;</li>
 *   <li>a plain-text bounce that follows no standard → {@code bounced}, message: the text the MTA wrote
 *       about that recipient.</li>
 * </ul>
 */
public final class BounceMailParser {

    static final int MAX_MESSAGE_CHARS = 4_000;

    static final String DELIVERY_STATUS = "delivery-status";
    static final String FEEDBACK_REPORT = "feedback-report";
    static final String AUTO_REPLY = "auto-reply";
    static final String PLAIN_TEXT = "plain-text";
    static final String JSON_NOTIFICATION = "json-notification";

    static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z]{2,}");
    // A line that names a recipient: the address first, perhaps after a bullet, a short label or a bracket.
    private static final Pattern RECIPIENT_LINE = Pattern.compile(
            "^[\\s>*\\-\u2022]*(?:[245]\\d\\d[ -](?:" + SmtpCodes.ENHANCED + "\\s+)?)?(?:([A-Za-z][A-Za-z0-9 ._'/-]{0,30}?)\\s*:\\s*)?[<\"'(\\[]?\\s*(?:mailto:)?("
                    + ADDRESS.pattern() + ")");
    // Labels before an address that name the sender or a header of the original, not a failed recipient.
    private static final Pattern SENDER_LABEL = Pattern.compile(
            "(?i)(?:from|sender|reply-to|return-path|mail from|envelope-from|message-id|in-reply-to|references|received|delivered-to|x-[a-z0-9-]+|by|cc|bcc)");
    private static final Pattern FIELD = Pattern.compile("^([A-Za-z][A-Za-z0-9-]*)[ \\t]*:[ \\t]?(.*)$");
    // Where a plain-text bounce stops talking and the returned original begins.
    // mayBeginOriginal is a cheap test of what this needs: a new form here needs its first word there (ParserShortcutsTest checks the corpus).
    static final Pattern ORIGINAL_BEGINS = Pattern.compile(
            "(?i)^\\s*(?:[-=_*#]{2,}.*\\b(?:original|copy|returned|undeliver(?:ed|able)|unsent|below|headers?|attached|message text)\\b.*"
                    + "|(?:[-=]+\\s*)?original message(?: headers?| follows)?\\s*:?\\s*[-=]*\\s*"
                    + "|(?:the )?(?:original )?message(?: headers?)? (?:follows?|below)\\.?:?\\s*"
                    + "|(?:below is |here is |this is )?(?:a )?copy of (?:the |your )?(?:original )?message.*"
                    + "|content-type:\\s*(?:message/rfc822|text/rfc822-headers).*"
                    + "|original (?:mail|message) as follows\\s*:?.*"
                    // A header field of the original; some MTAs write it without the space after the colon ("Received:from").
                    + "|(?:received|return-path|dkim-signature|x-received|arc-seal|authentication-results):\\s*\\S.*)$");
    // mayBeListField is a cheap test of what this needs (ParserShortcutsTest checks the corpus).
    static final Pattern LIST_FIELD = Pattern.compile("(?i)list-[a-z-]+|mailing-list|x-ml-[a-z-]+");
    private static final Pattern LIST_ADMIN = Pattern.compile("(?i)(?:^|[<\\s\"])(?:owner-[^@\\s]+|[^@\\s<\"]+-(?:admin|owner))@");
    private static final Pattern BOUNCE_SENDER = Pattern.compile("(?i)mailer[-_]?daemon|post_?master|mail delivery|delivery subsystem|mailerdaemon|bounce");
    private static final Pattern BOUNCE_SUBJECT = Pattern.compile(
            "(?i)undeliver|deliver(?:y|ed)?\\s+(?:status|fail|notif|report|incomplete|problem)|returned mail|failure notice|mail delivery|non.?deliver"
                    + "|not (?:be )?delivered|could not be delivered|bounce|delivery failure|mail error|error sending|rejected|returned to sender|delivery has failed");
    private static final Pattern AUTO_SUBJECT = Pattern.compile(
            "(?i)^\\s*(?:auto(?:matic)?[ -]?(?:reply|response|respons|answer)|auto:|out of (?:the )?office|away from|vacation|abwesenheit|r[ée]ponse automatique|\u81ea\u52d5\u5fdc\u7b54|\u4e0d\u5728)");
    private static final Pattern TAGS = Pattern.compile("(?s)<(?:script|style)[^>]*>.*?</(?:script|style)>|<[^>]+>");
    private static final Pattern BLOCK_TAGS = Pattern.compile("(?i)<\\s*(?:br|/p|/div|/tr|/li|/h\\d|p|div|tr|li)\\b[^>]*>");

    // Compiled once: this runs for every line of every mail.
    private static final Pattern ADDRESS_JUNK = Pattern.compile("[<>\"\\s]");
    private static final Pattern INLINE_TO = Pattern.compile("(?im)^to:[ \\t]*(.+)$");
    private static final Pattern DSN_RECIPIENT_FIELD = Pattern.compile("(?im)^(?:final-recipient|original-recipient)\\s*:");
    private static final Pattern DSN_ACTION_FIELD = Pattern.compile("(?im)^(?:action|status)\\s*:");
    private static final Pattern ARF_RECIPIENT_FIELDS = Pattern.compile("(?m)^(Original-Rcpt-To|Removal-Recipient)");
    private static final Pattern BRACKETED_ADDRESS = Pattern.compile("<(" + ADDRESS.pattern() + ")>");
    private static final Pattern ANY_ADDRESS = Pattern.compile("(" + ADDRESS.pattern() + ")");

    // Group 2 the day of the week, group 3 the date and time after it.
    private static final Pattern RFC_DATE = Pattern.compile(
            "\\s*((?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}(?::\\d{2})? [+-]\\d{4}))");
    private static final List<String> WEEKDAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");

    private final MimeReader reader = new MimeReader();
    private final boolean readDates;

    public BounceMailParser() {
        this(true);
    }

    private BounceMailParser(boolean readDates) {
        this.readDates = readDates;
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
        List<byte[]> mails = mboxMessages(raw);
        if (mails.size() == 1) {
            return parseOne(raw, 0);
        }
        List<BounceRecipient> all = new ArrayList<>();
        String detail = null;
        for (byte[] one : mails) {
            ParsedMail parsed;
            try {
                parsed = parseOne(one, 0);
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

    /**
     * An mbox's messages: each starts with a "From " separator line ("From sender date", the date ending in its year)
     * followed by a header field. Input that does not start with such a line is one message, whatever it contains.
     */
    static List<byte[]> mboxMessages(byte[] raw) {
        if (!isMboxSeparator(raw, 0)) {
            return List.of(raw);
        }
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i + 5 < raw.length; i++) {
            if (raw[i - 1] == '\n' && raw[i] == 'F' && isMboxSeparator(raw, i)) {
                out.add(java.util.Arrays.copyOfRange(raw, start, i));
                start = i;
            }
        }
        out.add(start == 0 ? raw : java.util.Arrays.copyOfRange(raw, start, raw.length));
        return out;
    }

    private static final Pattern MBOX_SEPARATOR = Pattern.compile("From \\S+\\s+.*\\d{1,2}:\\d{2}(?::\\d{2})?.*\\d{4}\\s*");

    private static boolean isMboxSeparator(byte[] raw, int at) {
        if (at + 5 > raw.length || raw[at] != 'F' || raw[at + 1] != 'r' || raw[at + 2] != 'o' || raw[at + 3] != 'm' || raw[at + 4] != ' ') {
            return false;
        }
        // A body line that happens to start with "From " is no separator: it must name a date and be followed by a header field.
        return MBOX_SEPARATOR.matcher(line(raw, at)).matches() && RawMail.HEADER_FIELD_LINE.matcher(line(raw, lineEnd(raw, at) + 1)).matches();
    }

    private static int lineEnd(byte[] raw, int at) {
        int eol = at;
        while (eol < raw.length && raw[eol] != '\n' && eol - at < 1000) {
            eol++;
        }
        return eol;
    }

    private static String line(byte[] raw, int at) {
        if (at >= raw.length) {
            return "";
        }
        int end = lineEnd(raw, at);
        return new String(raw, at, end - at, java.nio.charset.StandardCharsets.ISO_8859_1).stripTrailing();
    }

    /** {@code depth} 1 for a bounce enclosed in another: its own enclosures are not looked into. */
    private ParsedMail parseOne(byte[] raw, int depth) {
        Mail mail = reader.read(raw);
        Envelope env = envelope(mail, readDates);
        // The type is tested first: asking for a part's text decodes it.
        List<Part> reports = mail.parts().stream().filter(p -> isDeliveryStatus(p.type()) && p.text() != null).toList();
        List<Part> feedback = mail.parts().stream().filter(p -> p.type().equals("message/feedback-report") && p.text() != null).toList();
        // The human-readable text is only needed when the structured parts do not say enough: build it once, on demand.
        java.util.function.Supplier<String> human = new Once<>(() -> humanText(mail));

        List<BounceRecipient> out = new ArrayList<>();
        if (!feedback.isEmpty()) {
            feedback(mail, env, feedback.get(0), out);
        }
        if (out.isEmpty() && !reports.isEmpty()) {
            for (Part report : reports) {
                deliveryStatus(env, report.text(), human, out);
            }
        }
        if (out.isEmpty() && env.bounceLike()) {
            // Some MTAs put the DSN fields into a text part, or into the body of a non-MIME mail.
            for (Part p : mail.parts()) {
                if (p.text() != null && !p.enclosed() && hasDsnFields(p.text())) {
                    deliveryStatus(env, p.text(), human, out);
                }
            }
        }
        if (out.isEmpty()) {
            for (Part p : mail.parts()) {
                if (out.isEmpty() && p.text() != null && !p.enclosed() && p.type().startsWith("text/")) {
                    notification(env, JsonNotification.read(p.text()), out);
                }
            }
        }
        // An auto-reply marker from a person's address (not a mailer daemon's, whose bounces Exim marks auto-replied
        // too) says more than the bounce-like look of the text: an out-of-office reply names addresses at line starts.
        if (out.isEmpty() && isAutoReply(mail, env) && (env.from() == null || !BOUNCE_SENDER.matcher(env.from()).find())) {
            autoReply(env, human.get(), out);
        }
        if (out.isEmpty() && env.bounceLike() && depth == 0) {
            enclosedReports(mail, out);
        }
        if (out.isEmpty() && env.bounceLike()) {
            plainText(env, human.get(), () -> originalTo(mail, env), out);
        }
        if (out.isEmpty() && isAutoReply(mail, env)) {
            autoReply(env, human.get(), out);
        }
        if (out.isEmpty()) {
            String why = env.bounceLike()
                    ? "the mail looks like a bounce but names no recipient that failed"
                    : "the mail is not a bounce: no delivery-status or feedback report, no auto-reply marker, and no sign of a mailer daemon";
            return new ParsedMail(List.of(), "no failed recipient found: " + why);
        }
        return new ParsedMail(List.copyOf(out), null);
    }

    // ---------------------------------------------------------------- what the mail itself says

    /** The bounce's own header facts. {@code ownAddresses} are the original sender's and the daemon's, never a failed recipient. */
    private record Envelope(String subject, String from, String sender, java.util.function.Supplier<Instant> date, Set<String> ownAddresses,
                            List<String> failedRecipients, List<String> originalTo, boolean bounceLike, boolean readDates) {
        /** A date field of the mail (Last-Attempt-Date, Arrival-Date, …), unless the parser leaves dates out. */
        Instant dateOf(String value) {
            return readDates ? BounceMailParser.date(value) : null;
        }
    }

    /** A value computed when first asked for, then kept (a null one too). */
    private static final class Once<T> implements java.util.function.Supplier<T> {
        private java.util.function.Supplier<T> compute;
        private T value;

        Once(java.util.function.Supplier<T> compute) {
            this.compute = compute;
        }

        @Override
        public T get() {
            if (compute != null) {
                value = compute.get();
                compute = null;
            }
            return value;
        }
    }

    /**
     * The bounce's Date header, parsed when first asked for: recipients of a delivery-status report mostly carry their own
     * Last-Attempt-Date or Arrival-Date, and then the header's date is never used.
     */
    private static java.util.function.Supplier<Instant> dateHeader(String value) {
        return new Once<>(() -> date(value));
    }

    private static Envelope envelope(Mail mail, boolean readDates) {
        String subject = mail.field("Subject");
        String fromField = mail.field("From");
        String from = firstAddress(fromField);
        Set<String> own = new LinkedHashSet<>();
        if (from != null) {
            own.add(from.toLowerCase(Locale.ROOT));
        }
        String originalSender = null;
        for (String name : List.of("To", "Delivered-To")) {
            for (String value : mail.all(name)) {
                for (String a : addresses(value)) {
                    own.add(a.toLowerCase(Locale.ROOT));
                    if (originalSender == null && name.equals("To")) {
                        originalSender = a;
                    }
                }
            }
        }
        List<String> originalTo = new ArrayList<>();
        for (Part p : mail.parts()) {
            if (p.type().equals("message/rfc822") || p.type().equals("text/rfc822-headers")) {
                Part headers = p.type().equals("text/rfc822-headers") && p.text() != null ? headerPart(p.text()) : p;
                for (String name : List.of("From", "Return-Path", "Sender")) {
                    String a = firstAddress(headers.field(name));
                    if (a != null) {
                        own.add(a.toLowerCase(Locale.ROOT));
                        if (originalSender == null) {
                            originalSender = a;
                        }
                    }
                }
                if (originalTo.isEmpty()) {
                    String to = headers.field("To");
                    originalTo.addAll(addresses(to));
                }
            }
        }
        // A mailing list's own addresses (its -ctl, -request, owner addresses) are not recipients that failed either.
        for (Field f : mail.fields()) {
            if (mayBeListField(f.getName()) && LIST_FIELD.matcher(f.getName()).matches()) {
                for (String a : addresses(Decoding.field(f.getBody()))) {
                    own.add(a.toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String> failed = new ArrayList<>();
        for (String value : mail.all("X-Failed-Recipients")) {
            failed.addAll(addresses(value));
        }
        // The cheap signs first, the regular expressions last: most bounces show by their MIME structure alone.
        boolean bounceLike = mail.type().equals("multipart/report") || returnsOriginal(mail) || !failed.isEmpty() || nullSender(mail)
                || fromField != null && BOUNCE_SENDER.matcher(fromField).find()
                || subject != null && BOUNCE_SUBJECT.matcher(subject).find()
                || listNotice(mail, fromField);
        java.util.function.Supplier<Instant> date = readDates ? dateHeader(mail.field("Date")) : () -> null;
        return new Envelope(subject, from, originalSender, date, own, failed, originalTo, bounceLike, readDates);
    }

    /**
     * A cheap test that {@link #LIST_FIELD} needs, run on every header field's name: each of its forms starts with an ASCII 'l',
     * 'm' or 'x' in either case ((c | 0x20) is the lower case of an ASCII letter, and no other character becomes one of those).
     */
    static boolean mayBeListField(String name) {
        return !name.isEmpty() && "lmx".indexOf(name.charAt(0) | 0x20) >= 0;
    }

    /** Whether the mail carries a report or the returned original (or its header). */
    private static boolean returnsOriginal(Mail mail) {
        return mail.parts().stream().anyMatch(p -> p.type().equals("message/rfc822") || p.type().equals("text/rfc822-headers")
                || isDeliveryStatus(p.type()));
    }

    /** An empty Return-Path ("<>"): a mail no one should answer, as a bounce is. */
    private static boolean nullSender(Mail mail) {
        String returnPath = mail.field("Return-Path");
        return returnPath != null && ADDRESS_JUNK.matcher(returnPath).replaceAll("").isEmpty();
    }

    /** A mailing list manager refusing a posting or reporting a loop writes from the list's admin or owner address. */
    private static boolean listNotice(Mail mail, String fromField) {
        return (mail.field("X-MLServer") != null || mail.field("List-Id") != null || mail.field("Mailing-List") != null)
                && fromField != null && LIST_ADMIN.matcher(fromField).find();
    }

    /** The text the MTA wrote for people: the mail's own text parts (not the returned original), cut where the original begins. */
    private static String humanText(Mail mail) {
        StringBuilder plain = new StringBuilder();
        List<Part> htmlParts = new ArrayList<>();
        for (Part p : mail.parts()) {
            if (p.enclosed()) {
                continue;
            }
            if ((p.type().equals("text/plain") || p.type().equals("text/enriched")) && p.text() != null) {
                plain.append(cutAtOriginal(p.text())).append('\n');
            } else if (p.type().equals("text/html")) {
                htmlParts.add(p);
            }
        }
        if (!plain.toString().isBlank()) {
            return plain.toString();
        }
        // The HTML is only read when the plain text says nothing: decoded and converted then, not for every mail that has both.
        StringBuilder html = new StringBuilder();
        for (Part h : htmlParts) {
            if (h.text() != null) {
                html.append(cutAtOriginal(htmlToText(h.text()))).append('\n');
            }
        }
        return html.toString();
    }

    /** The returned original's To: from its MIME part, else from an original returned inline. */
    private static List<String> originalTo(Mail mail, Envelope env) {
        return env.originalTo().isEmpty() ? inlineOriginalTo(mail) : env.originalTo();
    }

    /** The To of an original returned inline, below the line where a plain-text bounce stops talking. */
    private static List<String> inlineOriginalTo(Mail mail) {
        for (Part p : mail.parts()) {
            if (p.enclosed() || p.text() == null || !p.type().startsWith("text/")) {
                continue;
            }
            int cut = cutAtOriginal(p.text()).length();
            Matcher m = INLINE_TO.matcher(p.text());
            if (cut < p.text().length() && m.find(Math.max(0, cut - 1))) {
                return addresses(m.group(1));
            }
        }
        return List.of();
    }

    /** The text up to the line where the original begins, each line ended by '\n' (a CR before it dropped); the whole text when none does. */
    private static String cutAtOriginal(String text) {
        int cut = originalStart(text);
        String kept = text.substring(0, cut);
        if (kept.indexOf('\r') >= 0) {
            kept = kept.replace("\r\n", "\n");
        }
        // Without a marker every line, the last one too, was ended by '\n'.
        return cut == text.length() ? kept + '\n' : kept;
    }

    /** Where the line that marks the returned original starts (never the first line), or the text's length. */
    private static int originalStart(String text) {
        int start = text.indexOf('\n') + 1;
        Matcher marker = ORIGINAL_BEGINS.matcher(text);
        while (start > 0) {
            int next = text.indexOf('\n', start);
            int end = next < 0 ? text.length() : next;
            int lineEnd = end > start && text.charAt(end - 1) == '\r' && next >= 0 ? end - 1 : end;
            // Markers are short lines; skipping long ones keeps the regex off base64 and DKIM blobs.
            if (lineEnd - start <= 200 && mayBeginOriginal(text, start, lineEnd)
                    && marker.region(start, lineEnd).matches()) {
                return start;
            }
            start = next + 1;
        }
        return text.length();
    }

    /** How each form of {@link #ORIGINAL_BEGINS} that starts with a letter starts (its optional words spelt out), in any case. */
    private static final List<String> ORIGINAL_BEGINS_WORDS = List.of("original m", "the original m", "the message ", "message ", "below is ",
            "here is ", "this is ", "a copy of ", "copy of ", "content-type:", "received:", "return-path:", "dkim-signature:", "x-received:",
            "arc-seal:", "authentication-results:");
    /** The words a marker line of symbols ("----- Original message -----") must hold, one at least, in any case. */
    private static final List<String> MARKER_LINE_WORDS = List.of("original", "copy", "returned", "undeliver", "unsent", "below", "header",
            "attached", "message text");

    /**
     * A cheap test that {@link #ORIGINAL_BEGINS} needs: after its leading white space, each of its forms starts with one of "-=_*#"
     * and then holds one of {@link #MARKER_LINE_WORDS}, or starts with one of {@link #ORIGINAL_BEGINS_WORDS} (a Content-Type then
     * names an rfc822 type).
     */
    static boolean mayBeginOriginal(String text, int start, int end) {
        int i = start;
        while (i < end && WhiteSpace.is(text.charAt(i))) {
            i++;
        }
        if (i == end) {
            return false;
        }
        char c = text.charAt(i);
        if (c == '-' || c == '=' || c == '_' || c == '*' || c == '#') {
            return holdsWord(text, i, end, MARKER_LINE_WORDS);
        }
        // Each of the words starts with one of these letters; (c | 0x20) is their lower case for ASCII letters, no letter otherwise.
        if ("otmbhacrdx".indexOf(c | 0x20) < 0) {
            return false;
        }
        for (String word : ORIGINAL_BEGINS_WORDS) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return !word.equals("content-type:") || holdsWord(text, i, end, List.of("rfc822"));
            }
        }
        return false;
    }

    /** Whether text[from, end) holds one of the words (lower-case ASCII letters and spaces), in any case. */
    private static boolean holdsWord(String text, int from, int end, List<String> words) {
        for (int j = from; j < end; j++) {
            // ASCII letters in either case become lower case; no other character becomes one (nor the space).
            char lower = (char) (text.charAt(j) | 0x20);
            for (String word : words) {
                if (word.charAt(0) == lower && j + word.length() <= end && text.regionMatches(true, j, word, 0, word.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String htmlToText(String html) {
        String text = replaceTags(BLOCK_TAGS, html, "\n");
        text = replaceTags(TAGS, text, "");
        return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }

    /**
     * {@code pattern.matcher(text).replaceAll(replacement)} for a pattern whose every match starts with '<' (BLOCK_TAGS, TAGS) and
     * a replacement without group references: the pattern is tried at each '<' only, where find() would try it at every character.
     */
    private static String replaceTags(Pattern pattern, String text, String replacement) {
        Matcher m = pattern.matcher(text).useTransparentBounds(true);
        StringBuilder out = null;
        int copied = 0;
        int at = text.indexOf('<');
        while (at >= 0) {
            if (m.region(at, text.length()).lookingAt()) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, at).append(replacement);
                copied = m.end();
                at = text.indexOf('<', copied);
            } else {
                at = text.indexOf('<', at + 1);
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    // ---------------------------------------------------------------- RFC 3464 delivery-status

    private static boolean isDeliveryStatus(String type) {
        return type.equals("message/delivery-status") || type.equals("message/global-delivery-status");
    }

    private static boolean hasDsnFields(String text) {
        // Both recipient fields end in "-recipient": a text without it is no DSN, whatever else it holds.
        return containsIgnoreCase(text, "-recipient") && DSN_RECIPIENT_FIELD.matcher(text).find() && DSN_ACTION_FIELD.matcher(text).find();
    }

    /** Whether the text holds the word (which starts with a character that has no case), in any case. */
    private static boolean containsIgnoreCase(String text, String word) {
        for (int at = text.indexOf(word.charAt(0)); at >= 0; at = text.indexOf(word.charAt(0), at + 1)) {
            if (text.regionMatches(true, at, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /** Per-recipient DSN fields (RFC 3464 2.3) that some MTAs write before the recipient's Final-Recipient, in the same group. */
    private static final Set<String> RECIPIENT_FIELDS = Set.of("action", "status", "diagnostic-code", "remote-mta", "last-attempt-date",
            "final-log-id", "will-retry-until", "x-actual-recipient");

    /** Field groups of a delivery-status body: the per-message group, then one map per recipient. */
    private static List<Map<String, List<String>>> recipientGroups(String text, Map<String, List<String>> perMessage) {
        List<Map<String, List<String>>> recipients = new ArrayList<>();
        Map<String, List<String>> current = null;
        String lastKey = null;
        Map<String, List<String>> lastMap = null;
        // Per-recipient fields of the current group seen before any recipient field (Facebook, MessageLabs write
        // "Diagnostic-Code / Status / Final-Recipient / Action"): they belong to the recipient named further on.
        Map<String, List<String>> early = new LinkedHashMap<>();
        Matcher f = FIELD.matcher("");
        for (String line : lines(text)) {
            if (line.isBlank()) {
                early.forEach((k, v) -> perMessage.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                early.clear();
                current = null;
                lastMap = null;
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastMap != null) {
                List<String> values = lastMap.get(lastKey);
                values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.trim());
                continue;
            }
            if (!f.reset(line).matches()) {
                lastMap = null;
                continue;
            }
            String key = f.group(1).toLowerCase(Locale.ROOT);
            boolean recipientField = key.equals("final-recipient") || key.equals("original-recipient");
            // Final- and Original-Recipient may come in either order; a repeated one starts the next recipient.
            if (recipientField && (current == null || current.containsKey(key))) {
                current = new LinkedHashMap<>();
                if (!early.isEmpty()) {
                    current.putAll(early);
                    early = new LinkedHashMap<>();
                }
                recipients.add(current);
            }
            Map<String, List<String>> target = current != null ? current : RECIPIENT_FIELDS.contains(key) ? early : perMessage;
            target.computeIfAbsent(key, k -> new ArrayList<>()).add(f.group(2).trim());
            lastKey = key;
            lastMap = target;
        }
        early.forEach((k, v) -> perMessage.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        return recipients;
    }

    private void deliveryStatus(Envelope env, String text, java.util.function.Supplier<String> human, List<BounceRecipient> out) {
        Map<String, List<String>> perMessage = new LinkedHashMap<>();
        // What the human-readable text says about each recipient: found when first needed, which a Diagnostic-Code that says
        // more than a bare reply never is.
        java.util.function.Supplier<Map<String, Block>> blocks = new Once<>(() -> blocks(env.ownAddresses(), human.get()));
        List<Map<String, List<String>>> groups = recipientGroups(text, perMessage);
        String lastDate = null;
        Instant lastWhen = null;
        // The human-readable text in lower case, for smtpCommand: made once, not once per recipient.
        String lowerHuman = null;
        for (Map<String, List<String>> group : groups) {
            String recipient = addressOf(first(group, "final-recipient"));
            if (recipient == null) {
                recipient = addressOf(first(group, "original-recipient"));
            }
            String action = lower(typeless(first(group, "action")));
            String statusField = first(group, "status");
            String enhanced = null;
            if (statusField != null) {
                enhanced = SmtpCodes.firstEnhancedCode(statusField);
            }
            String diagnostic = first(group, "diagnostic-code");
            String diagnosticType = typeOf(diagnostic);
            String message = typeless(diagnostic);
            if (message == null || message.chars().noneMatch(Character::isLetter)) {
                Block block = recipient == null ? null : blocks.get().get(recipient.toLowerCase(Locale.ROOT));
                // The report's only recipient: the whole text is about it, including what was said before its name.
                message = block != null && groups.size() > 1 ? block.text() : human.get();
            } else if (recipient != null) {
                String key = recipient.toLowerCase(Locale.ROOT);
                message = withContext(message, () -> blocks.get().get(key));
            }
            String date = first(group, "last-attempt-date");
            if (date == null) {
                date = first(perMessage, "arrival-date");
            }
            // Recipients of one report mostly share their date: parsed once.
            Instant when = date != null && date.equals(lastDate) ? lastWhen : env.dateOf(date);
            lastDate = date;
            lastWhen = when;
            BounceContext context = new BounceContext(DELIVERY_STATUS, action, statusField, diagnosticType,
                    typeless(first(group, "remote-mta")), typeless(first(perMessage, "reporting-mta")), null, env.subject(), env.from());
            // The remote server's own code in its reply says more than the reporting MTA's summary in Status.
            String spoken = spokenCodes(message, !"delivered".equals(statusOf(action))).enhanced();
            if (spoken != null && saysMore(spoken, enhanced, action)) {
                enhanced = spoken;
            }
            if (message != null && recipient != null && !message.toLowerCase(Locale.ROOT).contains("in reply to")) {
                // Which SMTP command the remote server was answering (the DSN fields do not say, the transcript does):
                // appended in Postfix's own notation, so that rules can tell a refusal at RCPT from one after DATA.
                if (lowerHuman == null) {
                    lowerHuman = human.get().toLowerCase(Locale.ROOT);
                }
                String command = smtpCommand(human.get(), lowerHuman, recipient);
                if (command != null) {
                    message = message + " (in reply to " + command + " command)";
                }
            }
            out.add(recipient(out.size() + 1, recipient, env, statusOf(action), enhanced, message, when != null ? when : env.date().get(), context));
        }
    }

    /** How much longer than the Diagnostic-Code the human-readable text about the recipient may be to replace it. */
    private static final int CONTEXT_CHARS = 300;
    /** A reply that is little more than its code: "550 Rejected", "554 5.0.0 Denied". */
    private static final Pattern BARE_REPLY = Pattern.compile("[245]\\d\\d(?:[ -]" + SmtpCodes.ENHANCED + ")?(?:[ -]+[A-Za-z.,!]+){0,2}\\s*");

    /**
     * For a Diagnostic-Code that is a bare reply, the human-readable text about the recipient when it quotes it and says a little more around it
     * (Exim: "SMTP error from remote mail server after EHLO …: 550 Rejected", where the DSN has only "550 Rejected");
     * otherwise the Diagnostic-Code as it is. {@code about} gives the recipient's block (or null), asked for only for a bare reply.
     */
    private static String withContext(String diagnostic, java.util.function.Supplier<Block> about) {
        String said = WhiteSpace.fold(diagnostic).trim();
        if (!BARE_REPLY.matcher(said).matches()) {
            // Most Diagnostic-Codes say more than a bare reply: the text about the recipient need not be found then.
            return diagnostic;
        }
        Block block = about.get();
        if (block == null) {
            return diagnostic;
        }
        String context = WhiteSpace.fold(block.text()).trim();
        if (context.length() > said.length() && context.length() <= said.length() + CONTEXT_CHARS
                && context.toLowerCase(Locale.ROOT).contains(said.toLowerCase(Locale.ROOT))) {
            return block.text();
        }
        return diagnostic;
    }

    private static final Pattern IN_REPLY_TO = Pattern.compile("(?i)\\(in reply to ((?:end of )?[a-z]+(?: (?:to|from))?) command\\)");
    private static final Pattern COMMAND_NAME = Pattern.compile("(?i)^(MAIL FROM|RCPT TO|DATA|EHLO|HELO|STARTTLS|AUTH|RSET|QUIT|BDAT)\\b");

    /**
     * The SMTP command the remote server rejected for this recipient, as the human-readable part shows it: the last
     * {@code >>> COMMAND} of a session transcript before a {@code <<<} reply naming the recipient (Sendmail, Courier), or
     * Postfix's "(in reply to end of DATA command)" after the recipient is named. Null when the text does not say.
     */
    static String smtpCommand(String human, String recipient) {
        return human == null ? null : smtpCommand(human, human.toLowerCase(Locale.ROOT), recipient);
    }

    /** {@code lower} is {@code human.toLowerCase(Locale.ROOT)}. */
    private static String smtpCommand(String human, String lower, String recipient) {
        if (human.isEmpty()) {
            return null;
        }
        String address = recipient.toLowerCase(Locale.ROOT);
        if (human.contains(">>> ")) {
            String last = null;
            for (String line : lines(human)) {
                String t = line.trim();
                if (t.startsWith(">>> ")) {
                    Matcher m = COMMAND_NAME.matcher(t.substring(4).trim());
                    last = m.find() ? m.group(1).toUpperCase(Locale.ROOT) : null;
                } else if (t.startsWith("<<< ") && last != null && t.toLowerCase(Locale.ROOT).contains(address)) {
                    return last;
                }
            }
        }
        int at = lower.indexOf(address);
        if (at >= 0 && lower.indexOf("in reply to", at) >= 0) {
            Matcher m = IN_REPLY_TO.matcher(WhiteSpace.fold(human.substring(at, Math.min(human.length(), at + 2000))));
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** RFC 3464 actions in the service's status words. */
    private static String statusOf(String action) {
        if (action == null) {
            return "bounced";
        }
        return switch (action) {
            case "delayed" -> "deferred";
            case "delivered", "relayed", "expanded" -> "delivered";
            default -> "bounced";
        };
    }

    /**
     * A bounce that says in its own text only that something failed and returns as its "original" another bounce, with the
     * delivery-status report (a gateway or filter passing on the bounce of the server behind it): that report's recipients.
     */
    private void enclosedReports(Mail mail, List<BounceRecipient> out) {
        for (Part p : mail.parts()) {
            if (!p.type().equals("message/rfc822") || p.text() == null || !p.text().contains("elivery-status")) {
                continue;
            }
            ParsedMail inner;
            try {
                inner = parseOne(p.text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 1);
            } catch (MalformedMailException e) {
                continue;
            }
            for (BounceRecipient r : inner.recipients()) {
                if (DELIVERY_STATUS.equals(r.context().format())) {
                    out.add(new BounceRecipient(out.size() + 1, r.fact(), r.context()));
                }
            }
            if (!out.isEmpty()) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- RFC 5965 feedback report

    private void feedback(Mail mail, Envelope env, Part report, List<BounceRecipient> out) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        recipientGroups(ARF_RECIPIENT_FIELDS.matcher(report.text()).replaceAll("X-$1"), fields);
        String type = lower(first(fields, "feedback-type"));
        List<String> recipients = new ArrayList<>();
        for (String key : List.of("x-original-rcpt-to", "x-removal-recipient")) {
            for (String value : fields.getOrDefault(key, List.of())) {
                recipients.addAll(addresses(value));
            }
            if (!recipients.isEmpty()) {
                break;
            }
        }
        if (recipients.isEmpty()) {
            recipients.addAll(originalTo(mail, env));
        }
        if (recipients.isEmpty()) {
            recipients.add(null);
        }
        String date = first(fields, "arrival-date");
        Instant arrived = env.dateOf(date);
        Instant when = arrived != null ? arrived : env.date().get();
        String message = "Feedback-Type: " + (type == null ? "unknown" : type);
        BounceContext context = new BounceContext(FEEDBACK_REPORT, null, null, null, null, typeless(first(fields, "reporting-mta")), type,
                env.subject(), env.from());
        for (String r : new LinkedHashSet<>(recipients)) {
            out.add(recipient(out.size() + 1, r, env, "complained", null, message, when, context));
        }
    }

    // ---------------------------------------------------------------- JSON event notifications

    private void notification(Envelope env, List<JsonNotification.Entry> entries, List<BounceRecipient> out) {
        for (JsonNotification.Entry e : entries) {
            String status;
            String message;
            String enhanced = null;
            String feedbackType = null;
            switch (e.kind()) {
                case "complaint" -> {
                    status = "complained";
                    feedbackType = lower(e.feedbackType());
                    message = "Feedback-Type: " + (feedbackType == null ? "unknown" : feedbackType);
                }
                case "delivery" -> {
                    status = "delivered";
                    message = e.diagnostic();
                }
                default -> {
                    status = statusOf(lower(e.action()));
                    message = typeless(e.diagnostic());
                    enhanced = SmtpCodes.firstEnhancedCode(e.status());
                }
            }
            String spoken = SmtpCodes.firstEnhancedCode(message);
            if (spoken != null && (enhanced == null || spoken.charAt(0) == enhanced.charAt(0))) {
                enhanced = spoken;
            }
            BounceContext context = new BounceContext(JSON_NOTIFICATION, lower(e.action()), e.status(), typeOf(e.diagnostic()), e.remoteMta(),
                    null, feedbackType, env.subject(), env.from());
            out.add(recipient(out.size() + 1, e.address(), env, status, enhanced, message, env.date().get(), context));
        }
    }

    // ---------------------------------------------------------------- RFC 3834 auto-reply

    private static boolean isAutoReply(Mail mail, Envelope env) {
        String autoSubmitted = lower(mail.field("Auto-Submitted"));
        String precedence = lower(mail.field("Precedence"));
        return autoSubmitted != null && autoSubmitted.startsWith("auto-replied")
                || mail.field("X-Autoreply") != null || mail.field("X-Autorespond") != null || mail.field("X-Autoresponder") != null
                || precedence != null && precedence.contains("auto_reply")
                || env.subject() != null && AUTO_SUBJECT.matcher(env.subject()).find();
    }

    private void autoReply(Envelope env, String human, List<BounceRecipient> out) {
        String subject = env.subject() == null ? "" : env.subject();
        String message = (subject + "\n" + human).trim();
        BounceContext context = new BounceContext(AUTO_REPLY, null, null, null, null, null, null, env.subject(), env.from());
        out.add(recipient(1, env.from(), env, "auto-replied", null, message, env.date().get(), context));
    }

    // ---------------------------------------------------------------- plain-text bounces

    /** What a plain-text bounce says about one recipient: the lines from where it is named up to the next recipient. */
    private record Block(String address, String text) {
    }

    /** Recipients named at the start of a line, in order, each with the text about it; the original sender's addresses are skipped. */
    private static Map<String, Block> blocks(Set<String> exclude, String human) {
        String[] lines = lines(human);
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        Map<String, String> spelled = new LinkedHashMap<>();
        String current = null;
        // One matcher, reset to each line: most lines hold no '@' and never need it.
        Matcher m = RECIPIENT_LINE.matcher("");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            // RECIPIENT_LINE starts with ^: lookingAt finds what find() found, without trying every later position first.
            String named = null;
            if (line.indexOf('@') >= 0 && m.reset(line).lookingAt() && (m.group(1) == null || !SENDER_LABEL.matcher(m.group(1).trim()).matches())
                    && !(m.group(1) != null && m.group(1).trim().equalsIgnoreCase("to") && inHeaderSummary(lines, i))) {
                String a = m.group(2);
                if (!exclude.contains(a.toLowerCase(Locale.ROOT))) {
                    named = a;
                }
            }
            if (named != null) {
                current = named.toLowerCase(Locale.ROOT);
                spelled.putIfAbsent(current, named);
                StringBuilder sb = texts.computeIfAbsent(current, k -> new StringBuilder());
                sb.append(line.trim()).append('\n');
            } else if (current != null) {
                StringBuilder sb = texts.get(current);
                if (sb.length() < MAX_MESSAGE_CHARS) {
                    sb.append(line).append('\n');
                }
            }
        }
        Map<String, Block> out = new LinkedHashMap<>();
        texts.forEach((k, v) -> out.put(k, new Block(spelled.get(k), v.toString())));
        return out;
    }

    private static final Pattern SUMMARY_FIELD = Pattern.compile("(?i)^\\s*(?:subject|sent|date|cc|from)\\s*:.*");

    /**
     * Whether line {@code i} ("To: …") belongs to a summary of the original's header that the bounce quotes ("Your message
     * / To: … / Subject: … / Sent: … / did not reach the following recipient(s)"): a Subject, Sent, Date, Cc or From line
     * right before or after it. The To there is what the sender wrote, not necessarily the address that failed.
     */
    private static boolean inHeaderSummary(String[] lines, int i) {
        return i > 0 && SUMMARY_FIELD.matcher(lines[i - 1]).matches() || i + 1 < lines.length && SUMMARY_FIELD.matcher(lines[i + 1]).matches();
    }

    /** {@code originalTo} is only asked for when the text names no recipient at all: it cuts every text part again. */
    private void plainText(Envelope env, String human, java.util.function.Supplier<List<String>> originalTo, List<BounceRecipient> out) {
        Set<String> daemon = env.from() == null ? Set.of() : Set.of(env.from().toLowerCase(Locale.ROOT));
        Map<String, Block> blocks = blocks(env.ownAddresses(), human);
        List<Block> chosen = new ArrayList<>();
        if (!env.failedRecipients().isEmpty()) {
            // The MTA listed the failed recipients in a header: trust that list, take the text from the body where it names them.
            for (String a : new LinkedHashSet<>(env.failedRecipients())) {
                Block b = blocks.get(a.toLowerCase(Locale.ROOT));
                chosen.add(b != null && !b.text().isBlank() ? b : new Block(a, human));
            }
        } else {
            chosen.addAll(blocks.values());
        }
        if (chosen.isEmpty()) {
            // Named only inside a sentence ("… delivering your mail to <jane@example.com>."): the bracketed addresses, in order.
            chosen.addAll(inText(BRACKETED_ADDRESS, env.ownAddresses(), human));
        }
        if (chosen.isEmpty()) {
            // The sender wrote to itself: its own address at a line start is then the failed one.
            chosen.addAll(blocks(daemon, human).values());
        }
        if (chosen.isEmpty()) {
            chosen.addAll(inText(ANY_ADDRESS, env.ownAddresses(), human));
        }
        if (chosen.isEmpty()) {
            // Named nowhere in the text: the original's To, with the whole text as the diagnostic.
            for (String a : originalTo.get()) {
                chosen.add(new Block(a, human));
            }
        }
        BounceContext context = new BounceContext(PLAIN_TEXT, null, null, null, null, null, null, env.subject(), env.from());
        for (Block b : chosen) {
            String text = b.text();
            // Only the address itself (the reason was written before the list of recipients), or the address among a
            // list of the message's details ("RCPT TO: …", "Size: …"): the whole text then.
            if (!text.replace(b.address(), "").chars().anyMatch(Character::isLetter) || onlyFields(text)) {
                text = human;
            }
            out.add(recipient(out.size() + 1, b.address(), env, "bounced", null, text, env.date().get(), context));
        }
    }

    private static final Pattern DETAIL_FIELD = Pattern.compile("^\\s*[A-Za-z][A-Za-z0-9 ()._/-]{0,40}:(?:\\s.*)?$");

    /** Whether every non-blank line of the text is a "Label: value" field: a summary of the message, not a text about the recipient. */
    private static boolean onlyFields(String text) {
        boolean any = false;
        for (String line : lines(text)) {
            if (line.isBlank() || line.startsWith("--")) {
                // a blank line, or a MIME boundary left in the text
                continue;
            }
            if (!DETAIL_FIELD.matcher(line).matches()) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** Addresses anywhere in the text, in order, each with the text from where it is named. */
    private static List<Block> inText(Pattern pattern, Set<String> exclude, String human) {
        List<Block> found = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Matcher m = pattern.matcher(human);
        while (m.find()) {
            String a = m.group(1);
            String key = a.toLowerCase(Locale.ROOT);
            if (!exclude.contains(key) && seen.add(key)) {
                int lineStart = human.lastIndexOf('\n', m.start()) + 1;
                found.add(new Block(a, human.substring(lineStart, Math.min(human.length(), lineStart + MAX_MESSAGE_CHARS))));
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- helpers

    private static BounceRecipient recipient(int index, String address, Envelope env, String status, String enhanced, String message,
                                             Instant when, BounceContext context) {
        String msg = message == null ? null : foldedHead(message);
        if (msg != null && msg.isEmpty()) {
            msg = null;
        }
        Spoken spoken = spokenCodes(msg, status.equals("bounced") || status.equals("deferred"));
        if (enhanced == null) {
            enhanced = spoken.enhanced();
        }
        Integer reply = spoken.reply();
        DeliveryFact fact = new DeliveryFact(validAddress(address), validAddress(env.sender()), "smtp", status, reply, enhanced, msg, null, when);
        return new BounceRecipient(index, fact, context);
    }

    /** The text folded and trimmed, at most its first {@link #MAX_MESSAGE_CHARS}. */
    private static String foldedHead(String text) {
        if (text.length() > 4 * MAX_MESSAGE_CHARS) {
            // A plain-text bounce's whole text can be long. Folding goes character by character, so the fold of the text's start
            // is the start of its fold: once that holds MAX_MESSAGE_CHARS after its leading blanks, and a non-blank after them
            // (so that trim() keeps them all), the rest of the text cannot change the result.
            String head = WhiteSpace.fold(text.substring(0, 4 * MAX_MESSAGE_CHARS));
            int start = 0;
            while (start < head.length() && head.charAt(start) <= ' ') {
                start++;
            }
            for (int i = start + MAX_MESSAGE_CHARS; i < head.length(); i++) {
                if (head.charAt(i) > ' ') {
                    return head.substring(start, start + MAX_MESSAGE_CHARS);
                }
            }
        }
        String folded = WhiteSpace.fold(text).trim();
        return folded.length() > MAX_MESSAGE_CHARS ? folded.substring(0, MAX_MESSAGE_CHARS) : folded;
    }

    /** The reply code and enhanced code a diagnostic text speaks, either null. */
    record Spoken(Integer reply, String enhanced) {
    }

    // A text that opens with a code: the reporting MTA's own reply or summary, which may quote the remote server's.
    private static final Pattern LEADING_CODE = Pattern.compile("^\\s*(?:[245]\\d\\d(?:[ -]#?" + SmtpCodes.ENHANCED + ")?|" + SmtpCodes.ENHANCED + ")(?![\\d.])");
    // Sendmail passing on the remote's reply after its own: "554 <jane@example.org>... 550 Host unknown".
    private static final Pattern RELAYED_REPLY = Pattern.compile(
            "\\G\\s*\\S+?\\.\\.\\.\\s+([245][0-5]\\d)(?:[ -]#?(" + SmtpCodes.ENHANCED + "))?(?=\\s|$)(?!\\.\\d)");
    // A reply code and enhanced code in quotes or brackets: "… error 550-'5.7.1 <…>… Access denied'", "…<421 4.4.2 Connection timed out>".
    // findQuotedPair looks for it only where one of its forms can start (ParserShortcutsTest checks the corpus).
    static final Pattern QUOTED_PAIR = Pattern.compile(
            "['\"<(\\[]([245][0-5]\\d)[ -]#?(" + SmtpCodes.ENHANCED + ")(?!\\d|\\.\\d)"
                    + "|(?<![\\w.])([245][0-5]\\d)[ -]?['\"<(\\[](" + SmtpCodes.ENHANCED + ")(?!\\d|\\.\\d)");

    /**
     * The codes a diagnostic text speaks. Where the text opens with the reporting MTA's own code and then quotes the
     * remote server's reply (Amazon SES "5.1.0 - Unknown address error 550-'5.7.1 …'", "554 4.4.7 Message expired …
     * <421 4.4.2 Connection timed out>", Sendmail "554 <jane@…>... 550 Host unknown"), the remote's codes. Otherwise the
     * first of each; for a failure, the first of an error class (4 or 5): a 2xx or 2.x.x in a failure's text is a step
     * that went well ("250 2.1.5 Ok" in a session transcript, a "220" greeting), not the answer that failed.
     */
    static Spoken spokenCodes(String msg, boolean failure) {
        if (msg == null) {
            return new Spoken(null, null);
        }
        Matcher lead = LEADING_CODE.matcher(msg);
        if (lead.lookingAt()) {
            // RELAYED_REPLY starts with \G, so it can only match where the search starts: lookingAt there is find() without
            // trying (and failing at) every later position.
            Matcher relayed = RELAYED_REPLY.matcher(msg).region(lead.end(), msg.length());
            if (relayed.lookingAt() && (!failure || relayed.group(1).charAt(0) != '2')) {
                return new Spoken(Integer.valueOf(relayed.group(1)), relayed.group(2) != null ? relayed.group(2) : firstCode(SmtpCodes.ENHANCED_CODE, msg, failure));
            }
            Matcher quoted = QUOTED_PAIR.matcher(msg);
            if (findQuotedPair(quoted, msg, lead.end())) {
                String reply = quoted.group(1) != null ? quoted.group(1) : quoted.group(3);
                String enhanced = quoted.group(2) != null ? quoted.group(2) : quoted.group(4);
                if (!failure || reply.charAt(0) != '2' && enhanced.charAt(0) != '2') {
                    return new Spoken(Integer.valueOf(reply), enhanced);
                }
            }
        }
        String reply = firstCode(SmtpCodes.REPLY_CODE, msg, failure);
        return new Spoken(reply == null ? null : Integer.valueOf(reply), firstCode(SmtpCodes.ENHANCED_CODE, msg, failure));
    }

    /**
     * Where QUOTED_PAIR can start: at an opening quote or bracket before a 2, 4 or 5 (its first form), or at a 2, 4 or 5
     * followed by 0-5 (its second).
     */
    private static final SmtpCodes.MatchStart QUOTED_PAIR_START = (c, next) ->
            "'\"<([".indexOf(c) >= 0 && (next == '2' || next == '4' || next == '5') || (c == '2' || c == '4' || c == '5') && next >= '0' && next <= '5';

    /** {@code m.find(from)} for QUOTED_PAIR, tried only where it can start. */
    static boolean findQuotedPair(Matcher m, String text, int from) {
        return SmtpCodes.findWhere(m, text, from, QUOTED_PAIR_START);
    }

    /** The first code the pattern finds; for a failure the first of class 4 or 5 when there is one. */
    private static String firstCode(Pattern pattern, String text, boolean failure) {
        Matcher m = pattern.matcher(text);
        String first = null;
        int from = 0;
        while (SmtpCodes.find(m, text, from)) {
            String code = m.group(1) != null ? m.group(1) : m.group(2);
            if (!failure || code.charAt(0) != '2') {
                return code;
            }
            if (first == null) {
                first = code;
            }
            from = m.end();
        }
        return first;
    }

    /**
     * Whether the enhanced code spoken in the text should replace the DSN Status: the remote server's own code says more
     * than the reporting MTA's summary when both are of the same class, or when the Status's class contradicts the Action
     * (failed with a 4.x.x) and the spoken one agrees with it; never an unspecific X.0.0 over a specific Status.
     */
    private static boolean saysMore(String spoken, String status, String action) {
        if (status == null) {
            return true;
        }
        if (spoken.endsWith(".0.0") && !status.endsWith(".0.0")) {
            return false;
        }
        if (spoken.charAt(0) == status.charAt(0)) {
            return true;
        }
        char wanted = "failed".equals(action) ? '5' : "delayed".equals(action) ? '4' : 0;
        return wanted != 0 && spoken.charAt(0) == wanted && status.charAt(0) != wanted;
    }

    private static Part headerPart(String headerText) {
        List<org.apache.james.mime4j.stream.Field> fields = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        Matcher f = FIELD.matcher("");
        for (String line : lines(headerText)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.trim());
                continue;
            }
            if (name != null) {
                fields.add(new org.apache.james.mime4j.stream.RawField(name, value.toString()));
                name = null;
            }
            if (line.isBlank()) {
                break;
            }
            if (f.reset(line).matches()) {
                name = f.group(1);
                value = new StringBuilder(f.group(2));
            }
        }
        if (name != null) {
            fields.add(new org.apache.james.mime4j.stream.RawField(name, value.toString()));
        }
        return new Part("text/rfc822-headers", fields, null, true);
    }

    /**
     * The text's lines as {@code Pattern.compile("\\r?\\n").split(text)} gives them (a CR before each LF dropped, trailing empty
     * lines left off, no line at all for a text of line breaks only), found with indexOf instead of a regex.
     */
    static String[] lines(String text) {
        int lf = text.indexOf('\n');
        if (lf < 0) {
            return new String[] {text};
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        while (lf >= 0) {
            out.add(text.substring(start, lf > start && text.charAt(lf - 1) == '\r' ? lf - 1 : lf));
            start = lf + 1;
            lf = text.indexOf('\n', start);
        }
        out.add(text.substring(start));
        int size = out.size();
        while (size > 0 && out.get(size - 1).isEmpty()) {
            size--;
        }
        return out.subList(0, size).toArray(new String[0]);
    }

    private static String first(Map<String, List<String>> fields, String key) {
        List<String> values = fields.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** "rfc822; jane@example.com" → "jane@example.com": the value after the type of a typed DSN field. */
    private static String typeless(String value) {
        if (value == null) {
            return null;
        }
        int semi = value.indexOf(';');
        String v = semi >= 0 && semi < 20 && !value.substring(0, semi).contains(" ") ? value.substring(semi + 1) : value;
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    private static String typeOf(String value) {
        if (value == null) {
            return null;
        }
        int semi = value.indexOf(';');
        return semi > 0 && semi < 20 && !value.substring(0, semi).contains(" ") ? value.substring(0, semi).trim().toLowerCase(Locale.ROOT) : null;
    }

    private static String addressOf(String typedValue) {
        String v = typeless(typedValue);
        if (v == null) {
            return null;
        }
        // Without an '@' findAddress does not run the regex at all.
        Matcher m = ADDRESS.matcher(v);
        if (findAddress(m, v, 0)) {
            return m.group();
        }
        v = ADDRESS_JUNK.matcher(v).replaceAll("");
        return v.isEmpty() ? null : v;
    }

    private static String firstAddress(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = ADDRESS.matcher(value);
        return findAddress(m, value, 0) ? m.group() : null;
    }

    private static List<String> addresses(String value) {
        List<String> all = new ArrayList<>();
        if (value != null) {
            Matcher m = ADDRESS.matcher(value);
            int from = 0;
            while (findAddress(m, value, from)) {
                all.add(m.group());
                from = m.end();
            }
        }
        return all;
    }

    /**
     * {@code m.find()} for ADDRESS from {@code from} on, started where an address can start at the earliest: its local part runs
     * without a break up to its '@', so no match starts before the run of local-part characters that ends at the next '@'.
     */
    static boolean findAddress(Matcher m, String text, int from) {
        int at = text.indexOf('@', from);
        if (at < 0) {
            return false;
        }
        int start = at;
        while (start > from && isLocalPartChar(text.charAt(start - 1))) {
            start--;
        }
        return m.find(start);
    }

    /** A character of ADDRESS's local part: its atom characters and the dot. */
    private static boolean isLocalPartChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || "!#$%&'*+/=?^_`{|}~-".indexOf(c) >= 0;
    }

    private static String validAddress(String a) {
        return a != null && a.indexOf('@') >= 0 && ADDRESS.matcher(a).matches() ? a : null;
    }

    private static String lower(String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    private static Instant date(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        // The common RFC 5322 form first (cheap); Mime4j's lenient parser for the rest.
        Matcher rfc = RFC_DATE.matcher(value);
        if (rfc.lookingAt()) {
            try {
                // Parsed without its weekday, which RFC_1123_DATE_TIME rejects by throwing when it is not the date's (common in
                // the wild): compared here instead, and such a date still goes to the lenient parser, as the throw sent it there.
                // At midnight the time may have been written "24:00", whose day java.time moves on after checking the weekday
                // against the date as written: then the whole text is parsed, as before.
                java.time.ZonedDateTime parsed = java.time.ZonedDateTime.parse(rfc.group(3), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                if (rfc.group(2) == null) {
                    return parsed.toInstant();
                }
                if (parsed.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
                    return java.time.ZonedDateTime.parse(rfc.group(1), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                }
                if (WEEKDAYS.indexOf(rfc.group(2)) == parsed.getDayOfWeek().ordinal()) {
                    return parsed.toInstant();
                }
            } catch (java.time.DateTimeException e) {
                // fall through to the lenient parser
            }
        }
        try {
            ParsedField parsed = LenientFieldParser.getParser().parse(new org.apache.james.mime4j.stream.RawField("Date", value), DecodeMonitor.SILENT);
            if (parsed instanceof DateTimeField dt && dt.isValidField() && dt.getDate() != null) {
                return dt.getDate().toInstant();
            }
        } catch (RuntimeException ignored) {
            // an unreadable date is no reason to lose the recipient
        }
        return null;
    }
}
