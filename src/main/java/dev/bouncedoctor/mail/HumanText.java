package dev.bouncedoctor.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text a bounce has for people: its own plain-text parts (never the returned original), cut where the original
 * begins; its HTML parts turned into text only when there is no plain text that says anything.
 */
final class HumanText {

    private static final Pattern BLOCK_TAGS = Pattern.compile("(?i)<\\s*(?:br|/p|/div|/tr|/li|/h\\d|p|div|tr|li)\\b[^>]*>");

    private HumanText() {
    }

    /** The text the MTA wrote for people: the mail's own text parts (not the returned original), cut where the original begins. */
    static String of(Mail mail) {
        StringBuilder plain = new StringBuilder();
        List<Part> htmlParts = new ArrayList<>();
        for (Part p : mail.parts()) {
            if (p.enclosed()) {
                continue;
            }
            if ((p.type().equals("text/plain") || p.type().equals("text/enriched")) && p.text() != null) {
                plain.append(ReturnedOriginal.cutAt(p.text())).append('\n');
            } else if (p.type().equals("text/html")) {
                htmlParts.add(p);
            }
        }
        if (!plain.toString().isBlank()) {
            return plain.toString();
        }
        // The HTML is only read when the plain text says nothing: decoded and converted then, not for every mail that has both.
        StringBuilder html = new StringBuilder();
        for (Part h : htmlParts) {
            if (h.text() != null) {
                html.append(ReturnedOriginal.cutAt(htmlToText(h.text()))).append('\n');
            }
        }
        return html.toString();
    }

    private static String htmlToText(String html) {
        String text = replaceTags(BLOCK_TAGS, html, "\n");
        text = stripTags(text);
        return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }

    private static final String[] CLOSERS = {"</script>", "</style>"};

    /**
     * Removes every tag, and a script or style element with its content: what the regex
     * {@code (?s)<(?:script|style)[^>]*>.*?</(?:script|style)>|<[^>]+>} replaced by nothing, in one pass. The regex,
     * tried at each '<', looked for a closing tag up to the end of the text every time: quadratic on a text of unclosed
     * {@code <style>} tags (500 kB took minutes).
     */
    static String stripTags(String text) {
        StringBuilder out = null;
        int copied = 0;
        // The earliest closing tag at or after closerFrom, once looked for (-1: there is none): every later look starts further on.
        int closerFrom = Integer.MAX_VALUE;
        int closer = -1;
        int closerLength = 0;
        int at = text.indexOf('<');
        while (at >= 0) {
            int gt = text.indexOf('>', at + 1);
            if (gt < 0) {
                break; // no tag closes after this '<', so none after a later one either
            }
            int end = -1;
            if (text.startsWith("<script", at) || text.startsWith("<style", at)) {
                if (closerFrom == Integer.MAX_VALUE || closer >= 0 && closer < gt + 1) {
                    closerFrom = gt + 1;
                    closer = -1;
                    for (String c : CLOSERS) {
                        int i = text.indexOf(c, closerFrom);
                        if (i >= 0 && (closer < 0 || i < closer)) {
                            closer = i;
                            closerLength = c.length();
                        }
                    }
                }
                if (closer >= 0) {
                    end = closer + closerLength;
                }
            }
            if (end < 0) {
                end = gt > at + 1 ? gt + 1 : -1; // "<>" is no tag
            }
            if (end < 0) {
                at = text.indexOf('<', at + 1);
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, at);
            copied = end;
            at = text.indexOf('<', copied);
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /**
     * {@code pattern.matcher(text).replaceAll(replacement)} for a pattern whose every match starts with '<' (BLOCK_TAGS, TAGS) and
     * a replacement without group references: the pattern is tried at each '<' only, where find() would try it at every character.
     */
    private static String replaceTags(Pattern pattern, String text, String replacement) {
        Matcher m = pattern.matcher(text).useTransparentBounds(true);
        StringBuilder out = null;
        int copied = 0;
        // Every pattern given ends its match with '>': past the last one, no '<' can start a match (and trying each was quadratic).
        int lastGt = text.lastIndexOf('>');
        int at = text.indexOf('<');
        while (at >= 0 && at < lastGt) {
            if (m.region(at, text.length()).lookingAt()) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, at).append(replacement);
                copied = m.end();
                at = text.indexOf('<', copied);
            } else {
                at = text.indexOf('<', at + 1);
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }
}
