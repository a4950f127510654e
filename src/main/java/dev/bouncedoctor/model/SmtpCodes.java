package dev.bouncedoctor.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syntax of the codes a mail server answers with, and how to find them in text: RFC 5321 reply codes ({@code 550})
 * and RFC 3463 enhanced status codes ({@code 5.1.1}). Syntax only, never what a code means: that is the rules' business.
 * Here, in the model, so that the normaliser (for a fact's message) and the bounce parser (for a mail's text) find codes
 * the one same way.
 */
public final class SmtpCodes {

    /** A reply code as bounces carry them (class 2, 4 or 5; second digit 0-5), for patterns that find one next to other things. */
    public static final String REPLY = "[245][0-5]\\d";

    /** An enhanced code, class.subject.detail, for patterns that find one next to other things. */
    public static final String ENHANCED = "[245]\\.\\d{1,3}\\.\\d{1,3}";

    /** An enhanced code on its own (group 1), e.g. "(#5.1.1)" from qmail; not part of an IP address or a version. */
    public static final Pattern ENHANCED_CODE = Pattern.compile("(?<![\\d.])(" + ENHANCED + ")(?![\\d]|\\.\\d)");

    /**
     * A reply code that stands alone (group 1, or group 2 right after a colon): not inside an IP address, a time, an id
     * or a longer number.
     */
    public static final Pattern REPLY_CODE = Pattern.compile(
            "(?<![\\w.:/#=+-])(" + REPLY + ")(?=[ \\-:,;)'\"\\]]|$)(?![ -]?\\d{2,})(?!\\.\\d)|(?<=:)(" + REPLY + ")(?=[ ,;])");

    /** "550-5.1.1", "552 5.2.2", "421-4.7.28": a reply code (group 1) directly followed by an enhanced code (group 2). */
    public static final Pattern CODE_PAIR = Pattern.compile("(?<![\\d.])(" + REPLY + ")[ -]#?(" + ENHANCED + ")(?![\\d]|\\.\\d)");

    private static final Pattern ENHANCED_SYNTAX = Pattern.compile(ENHANCED);

    private SmtpCodes() {
    }

    /** Whether the value is exactly an enhanced code ("5.1.1"), as a caller gives one. */
    public static boolean isEnhancedCode(String value) {
        return ENHANCED_SYNTAX.matcher(value).matches();
    }

    /** The first enhanced code standing alone in the text, or null (also for a null text). */
    public static String firstEnhancedCode(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = ENHANCED_CODE.matcher(text);
        return find(m, text, 0) ? m.group(1) : null;
    }

    /** Whether a match can start at a character, judged from it and the character after it. */
    @FunctionalInterface
    public interface MatchStart {
        boolean at(char c, char next);
    }

    /**
     * {@code m.find(from)}, with the pattern tried only where {@code start} says a match can begin: find() tries it at every
     * character, and patterns that open with a lookbehind cannot skip ahead. Transparent bounds let the lookbehind see the
     * character before. Codes are looked for in every text of every mail: this is where that time goes.
     */
    public static boolean findWhere(Matcher m, String text, int from, MatchStart start) {
        m.useTransparentBounds(true);
        for (int i = from; i + 1 < text.length(); i++) {
            if (start.at(text.charAt(i), text.charAt(i + 1)) && m.region(i, text.length()).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    /** Where a reply code, an enhanced code or the pair can start: a 2, 4 or 5 followed by 0-5 or a dot. */
    private static final MatchStart CODE_START = (c, next) -> (c == '2' || c == '4' || c == '5') && (next >= '0' && next <= '5' || next == '.');

    /**
     * {@link #findWhere} for a pattern each of whose matches starts with a code ({@link #ENHANCED_CODE}, {@link #REPLY_CODE},
     * {@link #CODE_PAIR}, or another that opens with one): what {@code m.find(from)} finds.
     */
    public static boolean find(Matcher m, String text, int from) {
        return findWhere(m, text, from, CODE_START);
    }
}
