package dev.bouncedoctor.model;

import java.util.Locale;

/**
 * Lower case in one linear pass, for text a client sends. {@code String.toLowerCase} applies Unicode's context
 * rules: every capital sigma asks a word-boundary iterator over the whole string whether it ends a word, so a run
 * of 20,000 'Σ' took seconds (quadratic), and a dotted capital I grows into two characters by way of a lookup that
 * allocates per character. Matching words needs neither: each code point is mapped on its own (Σ → σ, İ → i).
 */
public final class LowerCase {

    private LowerCase() {
    }

    public static String of(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            // ASCII only, by far the usual case: the JDK's own fast path has no context rules to apply.
            return s.toLowerCase(Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(n).append(s.substring(0, i).toLowerCase(Locale.ROOT));
        while (i < n) {
            int cp = s.codePointAt(i);
            out.appendCodePoint(Character.toLowerCase(cp));
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
