package dev.bouncedoctor.model;

/**
 * The one form of a message that rules match on ({@link DeliveryFact#text()}), so that a phrase written once matches
 * the everyday typographic variants of the same words: lower case; curly, angled and prime quotes as the straight
 * {@code '} and {@code "}; the Unicode dashes as {@code -}; the ellipsis character as {@code ...}; every kind of space
 * (no-break, thin, ideographic, line and paragraph separators, tab, line ends) as one space, runs of them folded to
 * one; invisible characters (zero-width spaces and joiners, the byte-order mark, soft hyphens) dropped. Nothing else
 * changes: words, letters with accents, digits and other punctuation stay as they are, so a phrase in this form is
 * what a person reads in the message. One linear pass, each code point lower-cased on its own (as {@link LowerCase}:
 * no context rules, so no input makes it quadratic).
 *
 * <p>Phrases in the rules must already be in this form ({@link #isNormal}); the rule policy refuses one that is not,
 * naming its file and line. {@link #source} gives back the part of the message as written that became a span of the
 * text, for the evidence of a diagnosis.
 */
public final class MatchText {

    private MatchText() {
    }

    /** The message in the form rules match on; "" for none. */
    public static String of(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(message.length());
        fold(message, out, null);
        return out.toString();
    }

    /** Whether a phrase is already in the form rules match on (a rule's phrase in any other form could never match). */
    public static boolean isNormal(String phrase) {
        return of(phrase).equals(phrase);
    }

    /**
     * The part of {@code message} as written that became {@code of(message).substring(start, end)}: from the character
     * that gave the span's first character to the one that gave its last.
     */
    public static String source(String message, int start, int end) {
        if (message == null || start < 0 || end <= start) {
            return "";
        }
        StringBuilder out = new StringBuilder(message.length());
        int[] origin = new int[message.length() * 3 + 1];
        fold(message, out, origin);
        if (end > out.length()) {
            return "";
        }
        int from = origin[start];
        int to = origin[end - 1] + Character.charCount(message.codePointAt(origin[end - 1]));
        return message.substring(from, Math.min(to, message.length()));
    }

    /** Appends the folded form of {@code message} to {@code out}; with {@code origin}, records where each output character came from. */
    private static void fold(String message, StringBuilder out, int[] origin) {
        boolean inSpace = false;
        for (int i = 0; i < message.length(); ) {
            int cp = message.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isInvisible(cp)) {
                i = next;
                continue;
            }
            if (isSpace(cp)) {
                if (!inSpace) {
                    append(out, origin, ' ', i);
                    inSpace = true;
                }
                i = next;
                continue;
            }
            inSpace = false;
            switch (cp) {
                case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u2035', '\u02BC', '\uFF07' -> append(out, origin, '\'', i);
                case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u2036', '\u00AB', '\u00BB', '\uFF02' -> append(out, origin, '"', i);
                case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\uFE58', '\uFE63', '\uFF0D' -> append(out, origin, '-', i);
                case '\u2026' -> {
                    append(out, origin, '.', i);
                    append(out, origin, '.', i);
                    append(out, origin, '.', i);
                }
                default -> {
                    int lower = Character.toLowerCase(cp);
                    if (Character.isBmpCodePoint(lower)) {
                        append(out, origin, (char) lower, i);
                    } else {
                        append(out, origin, Character.highSurrogate(lower), i);
                        append(out, origin, Character.lowSurrogate(lower), i);
                    }
                }
            }
            i = next;
        }
    }

    private static void append(StringBuilder out, int[] origin, char c, int from) {
        if (origin != null) {
            origin[out.length()] = from;
        }
        out.append(c);
    }

    /** White space of any script: what {@code \s} matches, the no-break and typographic spaces, line and paragraph separators. */
    private static boolean isSpace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x0B || cp == '\f' || cp == '\r' || cp == 0x85
                || Character.isSpaceChar(cp);
    }

    /** Characters that take no room and change no word: zero-width spaces and joiners, the byte-order mark, soft hyphens. */
    private static boolean isInvisible(int cp) {
        return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD;
    }
}
