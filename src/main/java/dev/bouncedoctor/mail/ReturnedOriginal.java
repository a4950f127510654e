package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.WhiteSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.RawField;

/**
 * The copy of the failed message that a bounce returns: where it begins when it is returned inline, below the text the
 * MTA wrote (which is all a format should read as the MTA's words), its To when it is returned inline, and its header
 * when a text/rfc822-headers part carries only that.
 */
final class ReturnedOriginal {

    // Where a plain-text bounce stops talking and the returned original begins.
    // mayBegin is a cheap test of what this needs: a new form here needs its first word there (ParserShortcutsTest checks the corpus).
    static final Pattern BEGINS = Pattern.compile(
            "(?i)^\\s*(?:[-=_*#]{2,}.*\\b(?:original|copy|returned|undeliver(?:ed|able)|unsent|below|headers?|attached|message text)\\b.*"
                    + "|(?:[-=]+\\s*)?original message(?: headers?| follows)?\\s*:?\\s*[-=]*\\s*"
                    + "|(?:the )?(?:original )?message(?: headers?)? (?:follows?|below)\\.?:?\\s*"
                    + "|(?:below is |here is |this is )?(?:a )?copy of (?:the |your )?(?:original )?message.*"
                    + "|content-type:\\s*(?:message/rfc822|text/rfc822-headers).*"
                    + "|original (?:mail|message) as follows\\s*:?.*"
                    // A header field of the original; some MTAs write it without the space after the colon ("Received:from"),
                    // some quote the original line by line (">Received: …").
                    + "|(?:>\\s*)?(?:received|return-path|dkim-signature|x-received|arc-seal|authentication-results):\\s*\\S.*)$");
    private static final Pattern INLINE_TO = Pattern.compile("(?im)^to:[ \\t]*(.+)$");
    // The envelope recipient a Received field names ("… id 1A2B for <jane@example.com>; date").
    private static final Pattern RECEIVED_FOR = Pattern.compile("(?i)\\bfor\\s+<?(" + AddressFinder.ADDRESS.pattern() + ")");
    /** How far before its address RECEIVED_FOR may start: "for", blanks and a bracket. */
    private static final int RECEIVED_FOR_LEAD = 8;

    /** How each form of {@link #BEGINS} that starts with a letter starts (its optional words spelt out), in any case. */
    private static final List<String> BEGINS_WORDS = List.of("original m", "the original m", "the message ", "message ", "below is ",
            "here is ", "this is ", "a copy of ", "copy of ", "content-type:", "received:", "return-path:", "dkim-signature:", "x-received:",
            "arc-seal:", "authentication-results:");
    /** The words a marker line of symbols ("----- Original message -----") must hold, one at least, in any case. */
    private static final List<String> MARKER_LINE_WORDS = List.of("original", "copy", "returned", "undeliver", "unsent", "below", "header",
            "attached", "message text");

    /**
     * The types of a part that carries only the original's header: text/rfc822-headers (RFC 6522), message/global-headers
     * (RFC 6533), and the misspellings text/rfc822-header and message/rfc822-headers that feedback and bounce generators
     * write (Sisimai's ARF reader lists text/rfc822-header among its boundaries).
     */
    private static final Set<String> HEADER_TYPES = Set.of("text/rfc822-headers", "message/global-headers", "text/rfc822-header",
            "message/rfc822-headers");

    private ReturnedOriginal() {
    }

    /** Whether a part of that type carries only the returned original's header. */
    static boolean isHeaderType(String type) {
        return HEADER_TYPES.contains(type);
    }

    /** The text up to the line where the original begins, each line ended by '\n' (a CR before it dropped); the whole text when none does. */
    static String cutAt(String text) {
        int cut = start(text);
        String kept = text.substring(0, cut);
        if (kept.indexOf('\r') >= 0) {
            kept = kept.replace("\r\n", "\n");
        }
        // Without a marker every line, the last one too, was ended by '\n'.
        return cut == text.length() ? kept + '\n' : kept;
    }

    /** Where the line that marks the returned original starts (never the first line), or the text's length. */
    private static int start(String text) {
        int start = text.indexOf('\n') + 1;
        Matcher marker = BEGINS.matcher(text);
        while (start > 0) {
            int next = text.indexOf('\n', start);
            int end = next < 0 ? text.length() : next;
            int lineEnd = end > start && text.charAt(end - 1) == '\r' && next >= 0 ? end - 1 : end;
            // Markers are short lines; skipping long ones keeps the regex off base64 and DKIM blobs.
            if (lineEnd - start <= 200 && mayBegin(text, start, lineEnd)
                    && marker.region(start, lineEnd).matches()) {
                return start;
            }
            start = next + 1;
        }
        return text.length();
    }

    /**
     * A cheap test that {@link #BEGINS} needs: after its leading white space, each of its forms starts with one of "-=_*#"
     * and then holds one of {@link #MARKER_LINE_WORDS}, or starts with one of {@link #BEGINS_WORDS} (a Content-Type then
     * names an rfc822 type), a header field's name perhaps after a '>' and white space.
     */
    static boolean mayBegin(String text, int start, int end) {
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
        if (c == '>') {
            // A quoted header field: only those forms can follow the '>'; they start with a letter, so the test below sees them.
            i++;
            while (i < end && WhiteSpace.is(text.charAt(i))) {
                i++;
            }
            if (i == end) {
                return false;
            }
            c = text.charAt(i);
        }
        // Each of the words starts with one of these letters; (c | 0x20) is their lower case for ASCII letters, no letter otherwise.
        if ("otmbhacrdx".indexOf(c | 0x20) < 0) {
            return false;
        }
        for (String word : BEGINS_WORDS) {
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

    /**
     * When the returned original is a mailing list's copy (its header has List-* or Mailing-List fields), the address the
     * first of its Received fields that names one was for ("… for &lt;jane@example.com&gt;; date"): the member the list sent
     * that copy to. Null for any other original, or when none names one that is not the list's or one of {@code exclude}.
     */
    static String listMember(Mail mail, Set<String> exclude) {
        List<Field> header = originalHeader(mail);
        boolean listCopy = false;
        Set<String> lists = new HashSet<>();
        for (Field f : header) {
            if (Envelope.mayBeListField(f.getName()) && Envelope.LIST_FIELD.matcher(f.getName()).matches()) {
                listCopy = true;
                for (String a : AddressFinder.all(Decoding.field(f.getBody()))) {
                    lists.add(a.toLowerCase(Locale.ROOT));
                }
            }
        }
        if (!listCopy) {
            return null;
        }
        for (Field f : header) {
            String a = f.getName().equalsIgnoreCase("Received") ? receivedFor(Decoding.field(f.getBody())) : null;
            if (a != null && !lists.contains(a.toLowerCase(Locale.ROOT)) && !exclude.contains(a.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        return null;
    }

    /** The fields of an original's header that name whom it was sent to: those Envelope reads its recipients from, and Cc. */
    private static final Set<String> ADDRESSED_FIELDS = addressedFields();

    private static Set<String> addressedFields() {
        Set<String> names = new HashSet<>();
        for (String name : Envelope.ORIGINAL_RECIPIENT_FIELDS) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        names.add("cc");
        return Set.copyOf(names);
    }

    /**
     * The addresses, lower case, that the returned original's header says it was sent to: its {@link #ADDRESSED_FIELDS}
     * and the "for &lt;…&gt;" of its Received fields. Empty when it returns no header.
     */
    static Set<String> addressedTo(Mail mail) {
        Set<String> addressed = new HashSet<>();
        for (Field f : originalHeader(mail)) {
            addAddressed(f.getName(), Decoding.field(f.getBody()), addressed);
        }
        if (addressed.isEmpty()) {
            // An original returned inline with each line quoted (">Received: …"): its fields are no header to parse.
            for (Part p : mail.parts()) {
                if (!p.enclosed() && p.text() != null && p.type().startsWith("text/")) {
                    String text = p.text();
                    for (String line : Texts.lines(text.substring(start(text)))) {
                        Matcher f = QUOTED_FIELD.matcher(line);
                        if (f.matches()) {
                            addAddressed(f.group(1), f.group(2), addressed);
                        }
                    }
                }
            }
        }
        return addressed;
    }

    private static final Pattern QUOTED_FIELD = Pattern.compile("^\\s*>\\s*([A-Za-z-]+):(.*)$");

    private static void addAddressed(String fieldName, String value, Set<String> addressed) {
        String name = fieldName.toLowerCase(Locale.ROOT);
        if (ADDRESSED_FIELDS.contains(name)) {
            for (String a : AddressFinder.all(value)) {
                addressed.add(a.toLowerCase(Locale.ROOT));
            }
        } else if (name.equals("received")) {
            String a = receivedFor(value);
            if (a != null) {
                addressed.add(a.toLowerCase(Locale.ROOT));
            }
        }
    }

    /** The envelope recipient a Received field's value names ("… for &lt;jane@example.com&gt;; date"), or null. */
    private static String receivedFor(String value) {
        Matcher m = RECEIVED_FOR.matcher(value);
        return AddressFinder.find(m, value, 0, RECEIVED_FOR_LEAD) ? m.group(1) : null;
    }

    /**
     * The header fields of the returned original, in order: of the first enclosed message or part of only its header, else
     * of an original returned inline after the marker line; empty when there is none.
     */
    private static List<Field> originalHeader(Mail mail) {
        for (Part p : mail.parts()) {
            if (p.type().equals("message/rfc822")) {
                return p.fields();
            }
            if (isHeaderType(p.type()) && p.text() != null) {
                return header(p.text()).fields();
            }
        }
        for (Part p : mail.parts()) {
            if (!p.enclosed() && p.text() != null && p.type().startsWith("text/")) {
                String text = p.text();
                int start = start(text);
                if (start < text.length()) {
                    // The marker line (header() passes over one that is no field; it may be the first Received), without the
                    // blank lines some MTAs put between it and the header: header() stops at a blank line.
                    int markerEnd = text.indexOf('\n', start);
                    int at = markerEnd;
                    while (at >= 0 && at + 1 < text.length() && (text.charAt(at + 1) == '\n' || text.charAt(at + 1) == '\r')) {
                        at = text.indexOf('\n', at + 1);
                    }
                    return markerEnd < 0 || at < 0 ? header(text.substring(start)).fields()
                            : header(text.substring(start, markerEnd + 1) + text.substring(at + 1)).fields();
                }
            }
        }
        return List.of();
    }

    /** The To of an original returned inline, below the line where a plain-text bounce stops talking; empty when there is none. */
    static List<String> inlineTo(Mail mail) {
        String to = inlineToField(mail);
        return to == null ? List.of() : AddressFinder.all(to);
    }

    /** The To of an original returned inline, as written (display names and all), or null when there is none. */
    static String inlineToField(Mail mail) {
        for (Part p : mail.parts()) {
            if (p.enclosed() || p.text() == null || !p.type().startsWith("text/")) {
                continue;
            }
            int cut = cutAt(p.text()).length();
            Matcher m = INLINE_TO.matcher(p.text());
            if (cut < p.text().length() && m.find(Math.max(0, cut - 1))) {
                return m.group(1);
            }
        }
        return null;
    }

    /** The original's header from the text of a part that carries only that ({@link #isHeaderType}), as a part whose fields can be asked for. */
    static Part header(String headerText) {
        List<Field> fields = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        Matcher f = DsnFields.FIELD.matcher("");
        for (String line : Texts.lines(headerText)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.trim());
                continue;
            }
            if (name != null) {
                fields.add(new RawField(name, value.toString()));
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
            fields.add(new RawField(name, value.toString()));
        }
        return new Part("text/rfc822-headers", fields, null, true);
    }
}
