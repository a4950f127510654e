package dev.bouncedoctor.model;

/**
 * What the service may write to its log about a delivery (at INFO and above): an address's domain, never its local
 * part, and never a message's text. Operators need the domain (one provider failing, one sender's set-up); who the
 * person is and what they were sent stay in the mail log, behind the API.
 */
public final class LogMask {

    /** Longest cause written to the log: enough to name the fault, not enough to carry a mail. */
    static final int MAX_CAUSE = 300;
    private static final String MASK = "***";
    private static final String MESSAGE = "[message]";

    private LogMask() {
    }

    /** {@code j***@example.com}: the first character of the local part and the domain; {@code -} for none. */
    public static String address(String address) {
        if (address == null || address.isBlank()) {
            return "-";
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return MASK;
        }
        String local = address.substring(0, at);
        String first = local.isEmpty() ? "" : local.substring(0, Character.charCount(local.codePointAt(0)));
        return first + MASK + address.substring(at);
    }

    /** {@link #cause(String)} with the fact's own message and addresses taken out first, wherever the text repeats them. */
    public static String cause(String text, DeliveryFact fact) {
        if (text == null || fact == null) {
            return cause(text);
        }
        String out = text;
        out = replace(out, fact.message(), MESSAGE);
        out = replace(out, fact.text(), MESSAGE);
        out = replace(out, fact.recipient(), address(fact.recipient()));
        out = replace(out, fact.sender(), address(fact.sender()));
        return cause(out);
    }

    /**
     * An exception's message for the log: its first line, at most {@value #MAX_CAUSE} characters, with every word that
     * holds an '@' masked as an {@link #address}. The words are cut at white space, at the characters that cannot appear
     * in an unquoted address ({@code <>()[],;:"}) and at '=' (so that {@code recipient=jane@example.com}, the log's own
     * style, keeps its key); a word may hold more than the address, and is masked whole. This finds what to hide, it
     * judges no address: a false alarm costs a few masked characters.
     */
    public static String cause(String text) {
        if (text == null) {
            return "";
        }
        String line = text.lines().findFirst().orElse("");
        // Masked before it is cut, so that a cut never leaves part of a local part without its '@'.
        String masked = line.indexOf('@') < 0 ? line : masked(line);
        return masked.length() > MAX_CAUSE ? masked.substring(0, MAX_CAUSE) + "…" : masked;
    }

    private static String masked(String line) {
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            int end = i;
            while (end < line.length() && !endsWord(line.charAt(end))) {
                end++;
            }
            String word = line.substring(i, end);
            out.append(word.indexOf('@') >= 0 ? address(word) : word);
            if (end < line.length()) {
                out.append(line.charAt(end));
            }
            i = end + 1;
        }
        return out.toString();
    }

    private static boolean endsWord(char c) {
        return Character.isWhitespace(c) || "<>()[],;:\"=".indexOf(c) >= 0;
    }

    private static String replace(String text, String value, String with) {
        return value == null || value.isEmpty() ? text : text.replace(value, with);
    }
}
