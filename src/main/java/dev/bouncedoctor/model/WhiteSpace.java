package dev.bouncedoctor.model;

/**
 * White space as the regex {@code \s} knows it (space, tab, LF, VT, FF, CR), and folding its runs into one space: what
 * the normaliser does to a fact's message and the bounce parser to the texts it takes from a mail, without a regex.
 */
public final class WhiteSpace {

    private WhiteSpace() {
    }

    /** The regex {@code \s}: space, tab, LF, VT, FF, CR. */
    public static boolean is(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * The text with each run of white space made one space, as {@code replaceAll("\\s+", " ")} makes it; the text itself
     * when it has no such run but single spaces.
     */
    public static String fold(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && !(is(text.charAt(i)) && (text.charAt(i) != ' ' || i + 1 < n && is(text.charAt(i + 1))))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        // text[i - 1] is no white space: the first run to fold starts at i.
        StringBuilder out = new StringBuilder(n).append(text, 0, i);
        boolean inRun = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!is(c)) {
                out.append(c);
                inRun = false;
            } else if (!inRun) {
                out.append(' ');
                inRun = true;
            }
        }
        return out.toString();
    }
}
