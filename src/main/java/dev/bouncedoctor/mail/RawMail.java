package dev.bouncedoctor.mail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The raw bytes before any MIME work: refuses what is plainly not a mail, with a message that says what to send, and
 * gives Mime4j the mail in the shape it reads (no mbox "From " line, no lone CR line ends).
 */
final class RawMail {

    /** A line that is a header field, "Name: value" (RFC 5322 field-name characters). */
    static final Pattern HEADER_FIELD_LINE = Pattern.compile("[!-9;-~]+[ \\t]*:.*");

    /**
     * The control bytes that text does not hold: all below 0x20 but CR, LF, tab, ESC (ISO-2022-JP) and form feed. A table, as
     * the chain of tests mispredicts at every line end of every mail.
     */
    private static final boolean[] BINARY_CONTROL = new boolean[256];

    static {
        for (int b = 0; b < 0x20; b++) {
            BINARY_CONTROL[b] = b != '\r' && b != '\n' && b != '\t' && b != 0x1b && b != 0x0c;
        }
    }

    private RawMail() {
    }

    /** Rejects what is plainly not a mail: empty, binary, or not starting with a header field. */
    static void check(byte[] raw) {
        int start = 0;
        while (start < raw.length && (raw[start] == '\r' || raw[start] == '\n' || raw[start] == ' ' || raw[start] == '\t')) {
            start++;
        }
        if (start == raw.length) {
            throw new MalformedMailException("the body is empty; send one raw mail (header fields, a blank line, the body) as message/rfc822");
        }
        int probe = Math.min(raw.length, 4 * 1024);
        int control = 0;
        for (int i = 0; i < probe; i++) {
            if (BINARY_CONTROL[raw[i] & 0xff]) {
                control++;
            }
        }
        if (control * 20 > probe) {
            throw new MalformedMailException("the body is binary data, not a mail; send the raw message/rfc822 text");
        }
        int end = start;
        while (end < raw.length && raw[end] != '\n' && raw[end] != '\r' && end - start < 1000) {
            end++;
        }
        String first = new String(raw, start, end - start, StandardCharsets.ISO_8859_1);
        if (!first.startsWith("From ") && !HEADER_FIELD_LINE.matcher(first).matches()) {
            throw new MalformedMailException("the body does not start with a mail header field ('Name: value'); send the raw mail, headers first, as message/rfc822");
        }
    }

    /** The mail as Mime4j should read it: without an mbox separator line, lone CRs made line ends. */
    static byte[] prepared(byte[] raw) {
        return fixLineEnds(withoutMboxLine(withoutLeadingBlankLines(raw)));
    }

    /**
     * Blank lines (or lines of blanks) before the first header field: a mail saved from a web mailer or pasted into a form
     * often starts so, and Mime4j would take the first empty line for the end of an empty header, the whole mail for a body.
     */
    private static byte[] withoutLeadingBlankLines(byte[] raw) {
        int lineStart = 0;
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\n') {
                lineStart = i + 1;
            } else if (b != '\r' && b != ' ' && b != '\t') {
                break;
            }
        }
        return lineStart == 0 ? raw : Arrays.copyOfRange(raw, lineStart, raw.length);
    }

    /** An mbox "From " separator line is not a header field; left in, Mime4j would take it as the start of the body. */
    private static byte[] withoutMboxLine(byte[] raw) {
        if (raw.length < 5 || raw[0] != 'F' || raw[1] != 'r' || raw[2] != 'o' || raw[3] != 'm' || raw[4] != ' ') {
            return raw;
        }
        int i = 0;
        while (i < raw.length && raw[i] != '\n') {
            i++;
        }
        return Arrays.copyOfRange(raw, Math.min(i + 1, raw.length), raw.length);
    }

    /** Mime4j splits lines on LF; a mail with old Mac CR line ends becomes one line unless the lone CRs are turned into LFs. */
    private static byte[] fixLineEnds(byte[] raw) {
        if (!hasLoneCr(raw)) {
            return raw;
        }
        byte[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == '\r' && (i + 1 == out.length || out[i + 1] != '\n')) {
                out[i] = '\n';
            }
        }
        return out;
    }

    /**
     * Whether a CR is not followed by LF. The CRs are found with String.indexOf, which the JVM searches many bytes at a time; a
     * copy of the mail as ISO-8859-1 characters (one per byte) costs less than testing each byte in a loop.
     */
    private static boolean hasLoneCr(byte[] raw) {
        String chars = new String(raw, StandardCharsets.ISO_8859_1);
        for (int cr = chars.indexOf('\r'); cr >= 0; cr = chars.indexOf('\r', cr + 1)) {
            if (cr + 1 == raw.length || raw[cr + 1] != '\n') {
                return true;
            }
        }
        return false;
    }
}
