package dev.bouncedoctor.mail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** An mbox (a mailbox file, a saved folder of bounces) cut into its messages. */
final class Mbox {

    private static final Pattern SEPARATOR = Pattern.compile("From \\S+\\s+.*\\d{1,2}:\\d{2}(?::\\d{2})?.*\\d{4}\\s*");

    private Mbox() {
    }

    /**
     * An mbox's messages: each starts with a "From " separator line ("From sender date", the date ending in its year)
     * followed by a header field. Input that does not start with such a line is one message, whatever it contains.
     */
    static List<byte[]> messages(byte[] raw) {
        if (!isSeparator(raw, 0)) {
            return List.of(raw);
        }
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i + 5 < raw.length; i++) {
            if (raw[i - 1] == '\n' && raw[i] == 'F' && isSeparator(raw, i)) {
                out.add(Arrays.copyOfRange(raw, start, i));
                start = i;
            }
        }
        out.add(start == 0 ? raw : Arrays.copyOfRange(raw, start, raw.length));
        return out;
    }

    private static boolean isSeparator(byte[] raw, int at) {
        if (at + 5 > raw.length || raw[at] != 'F' || raw[at + 1] != 'r' || raw[at + 2] != 'o' || raw[at + 3] != 'm' || raw[at + 4] != ' ') {
            return false;
        }
        // A body line that happens to start with "From " is no separator: it must name a date and be followed by a header field.
        return SEPARATOR.matcher(line(raw, at)).matches() && RawMail.HEADER_FIELD_LINE.matcher(line(raw, lineEnd(raw, at) + 1)).matches();
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
        return new String(raw, at, end - at, StandardCharsets.ISO_8859_1).stripTrailing();
    }
}
