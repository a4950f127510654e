package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.SmtpCodes;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the text for people says about each recipient it names at the start of a line: the lines from where the recipient
 * is named up to the next one. A plain-text bounce has nothing else; a delivery-status report uses it where its
 * Diagnostic-Code says too little.
 */
final class RecipientBlocks {

    /** What the text says about one recipient, the address spelt as the text first spells it. */
    record Block(String address, String text) {
    }

    // A line that names a recipient: the address first, perhaps after a bullet, a short label or a bracket, or inside the
    // X.400 O/R address Exchange 5.5 and 2000/2003 write for a recipient reached through their SMTP connector
    // ("c=US;a= ;p=Org;o=Site;dda:SMTP=jane@example.com; on <date>"; Microsoft KB Q258678 shows the form): the address
    // is the SMTP attribute's value.
    private static final Pattern RECIPIENT_LINE = Pattern.compile(
            "^[\\s>*\\-\u2022]*(?:[245]\\d\\d[ -](?:" + SmtpCodes.ENHANCED + "\\s+)?)?(?:([A-Za-z][A-Za-z0-9 ._'/-]{0,30}?)\\s*:\\s*)?[<\"'(\\[]?\\s*(?:mailto:|c=[^@\\n]{0,200}?[;:](?i:smtp)[=:])?("
                    + AddressFinder.ADDRESS.pattern() + ")");
    // Labels before an address that name the sender or a header of the original, not a failed recipient.
    private static final Pattern SENDER_LABEL = Pattern.compile(
            "(?i)(?:from|sender|reply-to|return-path|mail from|envelope-from|message-id|in-reply-to|references|received|delivered-to|x-[a-z0-9-]+|by|cc|bcc)");
    private static final Pattern SUMMARY_FIELD = Pattern.compile("(?i)^\\s*(?:subject|sent|date|cc|from)\\s*:.*");
    // An address the notice gives to write to about it ("System Contact: postmaster@…", "please contact <postmaster@…>",
    // "Please reply to Postmaster@…"): the reporting site's own, never a recipient that failed.
    // Only as a request or a label: "Your reply to jane@…" or "could not contact jane@…" name the recipient itself.
    private static final Pattern CONTACT = Pattern.compile(
            "(?i)\\b(?:please[ \\t]+contact|please[ \\t]+reply[ \\t]+to|(?:system[ \\t]+)?contact[ \\t]*:)[ \\t]*[<\"'(\\[]?("
                    + AddressFinder.ADDRESS.pattern() + ")");
    /** How far before its address CONTACT may start: the words, a colon, blanks and a bracket. */
    private static final int CONTACT_LEAD = 24;

    /**
     * How much of a line RECIPIENT_LINE reads: a bullet, a code, a label and an address of at most 320 characters fit. On
     * a whole line of "a.a.a." its repeated group ran out of stack.
     */
    private static final int LINE_START = 512;

    private RecipientBlocks() {
    }

    /**
     * Recipients named at the start of a line, in order, by their address in lower case, each with the text about it;
     * the addresses in {@code exclude} (lower case: the original sender's, the daemon's) and the text's {@code contacts}
     * ({@link #contacts}, found once per mail by its Envelope) are skipped.
     */
    static Map<String, Block> of(Set<String> exclude, Set<String> contacts, String human) {
        if (!contacts.isEmpty()) {
            Set<String> both = new HashSet<>(contacts);
            both.addAll(exclude);
            exclude = both;
        }
        String[] lines = Texts.lines(human);
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        Map<String, String> spelled = new LinkedHashMap<>();
        String current = null;
        // Where the current recipient's text holds, as its last line, a sentence that ends in ':' ("The following recipients
        // did not receive your message:"), or -1: when another recipient is named next, that sentence introduced it (Exim
        // names the same one again after "SMTP error from remote mailer after RCPT TO:").
        int introduction = -1;
        // One matcher, reset to each line: most lines hold no '@' and never need it.
        Matcher m = RECIPIENT_LINE.matcher("");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            // RECIPIENT_LINE starts with ^: lookingAt finds what find() found, without trying every later position first.
            String named = null;
            if (line.indexOf('@') >= 0 && m.reset(line).region(0, Math.min(line.length(), LINE_START)).lookingAt() && (m.group(1) == null || !SENDER_LABEL.matcher(m.group(1).trim()).matches())
                    && !(m.group(1) != null && m.group(1).trim().equalsIgnoreCase("to") && inHeaderSummary(lines, i))) {
                String a = m.group(2);
                if (!exclude.contains(a.toLowerCase(Locale.ROOT))) {
                    named = a;
                }
            }
            if (named != null) {
                if (introduction >= 0 && !named.equalsIgnoreCase(current)) {
                    texts.get(current).setLength(introduction);
                }
                introduction = -1;
                current = named.toLowerCase(Locale.ROOT);
                spelled.putIfAbsent(current, named);
                StringBuilder sb = texts.computeIfAbsent(current, k -> new StringBuilder());
                sb.append(line.trim()).append('\n');
            } else if (current != null && !contacts.isEmpty() && namesAny(line, contacts)) {
                // "Please reply to postmaster@… if you feel …" after the last recipient: about the notice, not about it.
                current = null;
                introduction = -1;
            } else if (current != null) {
                StringBuilder sb = texts.get(current);
                if (sb.length() < RecipientFacts.MAX_MESSAGE_CHARS) {
                    if (!line.isBlank()) {
                        introduction = line.strip().endsWith(":") ? sb.length() : -1;
                    }
                    sb.append(line).append('\n');
                }
            }
        }
        Map<String, Block> out = new LinkedHashMap<>();
        texts.forEach((k, v) -> out.put(k, new Block(spelled.get(k), v.toString())));
        return out;
    }

    /** Whether the line names one of the addresses (lower case). */
    private static boolean namesAny(String line, Set<String> addresses) {
        if (line.indexOf('@') < 0) {
            return false;
        }
        String lower = line.toLowerCase(Locale.ROOT);
        return addresses.stream().anyMatch(lower::contains);
    }

    /** The addresses, lower case, that the text gives as a contact ({@link #CONTACT}); a new, modifiable set. */
    static Set<String> contacts(String human) {
        Set<String> found = new HashSet<>();
        // Most texts name no contact: the words are looked for before the regex runs around each '@'. Without their first
        // letter, and their second in either case: containsIgnoreCase finds the first character as it is given.
        if (!Texts.containsIgnoreCase(human, "ontact") && !Texts.containsIgnoreCase(human, "ONTACT")
                && !Texts.containsIgnoreCase(human, "eply to") && !Texts.containsIgnoreCase(human, "EPLY TO")) {
            return found;
        }
        Matcher m = CONTACT.matcher(human);
        int from = 0;
        while (AddressFinder.find(m, human, from, CONTACT_LEAD)) {
            found.add(m.group(1).toLowerCase(Locale.ROOT));
            from = m.end();
        }
        return found;
    }

    /**
     * Whether line {@code i} ("To: …") belongs to a summary of the original's header that the bounce quotes ("Your message
     * / To: … / Subject: … / Sent: … / did not reach the following recipient(s)"): a Subject, Sent, Date, Cc or From line
     * right before or after it. The To there is what the sender wrote, not necessarily the address that failed.
     */
    private static boolean inHeaderSummary(String[] lines, int i) {
        // A blank line between the fields does not part them: an HTML notice's <BR> after each field becomes one.
        // At most one blank line each side: farther, a "To:" line is no longer part of that summary.
        int before = i - 1;
        if (before > 0 && lines[before].isBlank()) {
            before--;
        }
        int after = i + 1;
        if (after + 1 < lines.length && lines[after].isBlank()) {
            after++;
        }
        return before >= 0 && SUMMARY_FIELD.matcher(lines[before]).matches() || after < lines.length && SUMMARY_FIELD.matcher(lines[after]).matches();
    }
}
