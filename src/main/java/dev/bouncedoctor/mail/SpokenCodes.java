package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.SmtpCodes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reply code and enhanced code a diagnostic text speaks, either null: which of the codes in a bounce's text is the
 * answer that failed. Finding a code is {@link SmtpCodes}'; choosing among them is this class's.
 */
record SpokenCodes(Integer reply, String enhanced) {

    // A text that opens with a code: the reporting MTA's own reply or summary, which may quote the remote server's.
    private static final Pattern LEADING_CODE = Pattern.compile(
            "^\\s*(?:[245]\\d\\d(?:[ -]#?" + SmtpCodes.ENHANCED + ")?|" + SmtpCodes.ENHANCED + ")(?![\\d.])");
    // Sendmail passing on the remote's reply after its own: "554 <jane@example.org>... 550 Host unknown".
    private static final Pattern RELAYED_REPLY = Pattern.compile(
            "\\G\\s*\\S+?\\.\\.\\.\\s+([245][0-5]\\d)(?:[ -]#?(" + SmtpCodes.ENHANCED + "))?(?=\\s|$)(?!\\.\\d)");
    // A reply code and enhanced code in quotes or brackets: "… error 550-'5.7.1 <…>… Access denied'", "…<421 4.4.2 Connection timed out>".
    // findQuotedPair looks for it only where one of its forms can start (ParserShortcutsTest checks the corpus).
    static final Pattern QUOTED_PAIR = Pattern.compile(
            "['\"<(\\[]([245][0-5]\\d)[ -]#?(" + SmtpCodes.ENHANCED + ")(?!\\d|\\.\\d)"
                    + "|(?<![\\w.])([245][0-5]\\d)[ -]?['\"<(\\[](" + SmtpCodes.ENHANCED + ")(?!\\d|\\.\\d)");

    /**
     * Where QUOTED_PAIR can start: at an opening quote or bracket before a 2, 4 or 5 (its first form), or at a 2, 4 or 5
     * followed by 0-5 (its second).
     */
    private static final SmtpCodes.MatchStart QUOTED_PAIR_START = (c, next) ->
            "'\"<([".indexOf(c) >= 0 && (next == '2' || next == '4' || next == '5') || (c == '2' || c == '4' || c == '5') && next >= '0' && next <= '5';

    /**
     * The codes a diagnostic text speaks. Where the text opens with the reporting MTA's own code and then quotes the
     * remote server's reply (Amazon SES "5.1.0 - Unknown address error 550-'5.7.1 …'", "554 4.4.7 Message expired …
     * <421 4.4.2 Connection timed out>", Sendmail "554 <jane@…>... 550 Host unknown"), the remote's codes. Otherwise the
     * first of each; for a failure, the first of an error class (4 or 5): a 2xx or 2.x.x in a failure's text is a step
     * that went well ("250 2.1.5 Ok" in a session transcript, a "220" greeting), not the answer that failed.
     */
    static SpokenCodes in(String msg, boolean failure) {
        if (msg == null) {
            return new SpokenCodes(null, null);
        }
        Matcher lead = LEADING_CODE.matcher(msg);
        if (lead.lookingAt()) {
            // RELAYED_REPLY starts with \G, so it can only match where the search starts: lookingAt there is find() without
            // trying (and failing at) every later position.
            Matcher relayed = RELAYED_REPLY.matcher(msg).region(lead.end(), msg.length());
            if (relayed.lookingAt() && (!failure || relayed.group(1).charAt(0) != '2')) {
                return new SpokenCodes(Integer.valueOf(relayed.group(1)),
                        relayed.group(2) != null ? relayed.group(2) : firstCode(SmtpCodes.ENHANCED_CODE, msg, failure));
            }
            Matcher quoted = QUOTED_PAIR.matcher(msg);
            if (findQuotedPair(quoted, msg, lead.end())) {
                String reply = quoted.group(1) != null ? quoted.group(1) : quoted.group(3);
                String enhanced = quoted.group(2) != null ? quoted.group(2) : quoted.group(4);
                if (!failure || reply.charAt(0) != '2' && enhanced.charAt(0) != '2') {
                    return new SpokenCodes(Integer.valueOf(reply), enhanced);
                }
            }
        }
        String reply = firstCode(SmtpCodes.REPLY_CODE, msg, failure);
        return new SpokenCodes(reply == null ? null : Integer.valueOf(reply), firstCode(SmtpCodes.ENHANCED_CODE, msg, failure));
    }

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
}
