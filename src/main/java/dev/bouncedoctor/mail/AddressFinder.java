package dev.bouncedoctor.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Addresses as bounces write them: in header fields, typed DSN fields ("rfc822; jane@example.com"), and text. Found,
 * not judged: whether an address is canonical is the model's business (model/Addresses, through the normaliser).
 */
final class AddressFinder {

    /**
     * An addr-spec as bounces write them: dot-atom local part, a domain of DNS labels ending in letters. One letter is
     * enough for the last label when the label before it has one too: no TLD has one, but bounces whose domains were
     * anonymised do ("jane@a.b.c", "jane@mail.a.b.c"), while "jane@example.com.A copy" is still jane@example.com.
     */
    static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+(?:[A-Za-z]{2,}|(?<=[.@][A-Za-z0-9]\\.)[A-Za-z](?![A-Za-z0-9-]))");
    // Compiled once: this runs for every line of every mail.
    private static final Pattern JUNK = Pattern.compile("[<>\"\\s]");

    private AddressFinder() {
    }

    /** The value without angle brackets, quotes and white space: "<>" becomes empty. */
    static String withoutJunk(String value) {
        return JUNK.matcher(value).replaceAll("");
    }

    /** The address of a typed DSN field's value; without one, the value itself stripped of brackets, or null when that is empty. */
    static String ofTyped(String typedValue) {
        String v = DsnFields.typeless(typedValue);
        if (v == null) {
            return null;
        }
        // Without an '@' find does not run the regex at all.
        Matcher m = ADDRESS.matcher(v);
        if (find(m, v, 0)) {
            return m.group();
        }
        v = withoutJunk(v);
        return v.isEmpty() ? null : v;
    }

    /** The first address in the value, or null. */
    static String first(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = ADDRESS.matcher(value);
        return find(m, value, 0) ? m.group() : null;
    }

    /** Every address in the value, in order; empty for a null value. */
    static List<String> all(String value) {
        List<String> all = new ArrayList<>();
        if (value != null) {
            Matcher m = ADDRESS.matcher(value);
            int from = 0;
            while (find(m, value, from)) {
                all.add(m.group());
                from = m.end();
            }
        }
        return all;
    }

    /**
     * How far before an '@' a match may start, and after it end: a domain has at most 255 characters (RFC 5321 4.5.3.1); a
     * local part 64, but in text the characters before it often join it ("smtp.mailfrom=…"), so four times that.
     */
    private static final int MAX_LOCAL_PART = 256;
    private static final int MAX_DOMAIN = 255;

    /**
     * {@code m.find()} for ADDRESS (or a pattern around it) from {@code from} on, tried only around each '@': from where its
     * local part can start at the earliest (the run of local-part characters before the '@', at most 256 of them) to where its
     * domain can end. Run over the whole text instead, the regex was tried at every character and, on a long run of "a.a.a.",
     * repeated its group until the stack overflowed; this way its work is bounded per '@'.
     */
    static boolean find(Matcher m, String text, int from) {
        return find(m, text, from, 0);
    }

    /** As {@link #find(Matcher, String, int)}, for a pattern that takes {@code around} more characters each side of the address. */
    static boolean find(Matcher m, String text, int from, int around) {
        int next = from;
        while (true) {
            int at = text.indexOf('@', next);
            if (at < 0) {
                return false;
            }
            int start = at;
            int earliest = Math.max(from, at - MAX_LOCAL_PART);
            while (start > earliest && isLocalPartChar(text.charAt(start - 1))) {
                start--;
            }
            m.region(Math.max(from, start - around), Math.min(text.length(), at + 1 + MAX_DOMAIN + around));
            if (m.find()) {
                return true;
            }
            next = at + 1;
        }
    }

    /** A character of ADDRESS's local part: its atom characters and the dot. */
    private static boolean isLocalPartChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || "!#$%&'*+/=?^_`{|}~-".indexOf(c) >= 0;
    }

    /** The value when it is exactly one address, else null: what a fact's recipient or sender may be. */
    static String valid(String a) {
        return a != null && a.length() <= 320 && a.indexOf('@') >= 0 && ADDRESS.matcher(a).matches() ? a : null;
    }
}
