package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.LowerCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small text operations every format needs, done without regular expressions: they run on every line of every mail. */
final class Texts {

    private Texts() {
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

    /** The value trimmed and in lower case; null stays null. */
    static String lower(String value) {
        return value == null ? null : LowerCase.of(value.trim());
    }

    /** Whether the text holds the word (which starts with a character that has no case), in any case. */
    static boolean containsIgnoreCase(String text, String word) {
        for (int at = text.indexOf(word.charAt(0)); at >= 0; at = text.indexOf(word.charAt(0), at + 1)) {
            if (text.regionMatches(true, at, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }
}
