package dev.bouncedoctor.mail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "Name: value" field groups of machine-readable reports: RFC 3464 delivery-status (one group per message, one per
 * recipient) and RFC 5965 feedback reports, which share the syntax; typed values ("rfc822; jane@example.com"); and the
 * RFC 3464 Action in the service's status words.
 */
final class DsnFields {

    /** A field line, "Name: value" (also a header field of a returned original's header text). */
    static final Pattern FIELD = Pattern.compile("^([A-Za-z][A-Za-z0-9-]*)[ \\t]*:[ \\t]?(.*)$");

    /** Per-recipient DSN fields (RFC 3464 2.3) that some MTAs write before the recipient's Final-Recipient, in the same group. */
    private static final Set<String> RECIPIENT_FIELDS = Set.of("action", "status", "diagnostic-code", "remote-mta", "last-attempt-date",
            "final-log-id", "will-retry-until", "x-actual-recipient");

    private DsnFields() {
    }

    /**
     * Field groups of a report body: the per-message fields go into {@code perMessage}, and one map per recipient is
     * returned, in order. Names are lower case; a field may repeat; continuation lines are joined to their field.
     */
    static List<Map<String, List<String>>> groups(String text, Map<String, List<String>> perMessage) {
        List<Map<String, List<String>>> recipients = new ArrayList<>();
        Map<String, List<String>> current = null;
        String lastKey = null;
        Map<String, List<String>> lastMap = null;
        // Per-recipient fields of the current group seen before any recipient field (Facebook, MessageLabs write
        // "Diagnostic-Code / Status / Final-Recipient / Action"): they belong to the recipient named further on.
        Map<String, List<String>> early = new LinkedHashMap<>();
        Matcher f = FIELD.matcher("");
        for (String line : Texts.lines(text)) {
            if (line.isBlank()) {
                early.forEach((k, v) -> perMessage.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                early.clear();
                current = null;
                lastMap = null;
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastMap != null) {
                List<String> values = lastMap.get(lastKey);
                values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.trim());
                continue;
            }
            if (!f.reset(line).matches()) {
                lastMap = null;
                continue;
            }
            String key = f.group(1).toLowerCase(Locale.ROOT);
            boolean recipientField = key.equals("final-recipient") || key.equals("original-recipient");
            // Final- and Original-Recipient may come in either order; a repeated one starts the next recipient.
            if (recipientField && (current == null || current.containsKey(key))) {
                current = new LinkedHashMap<>();
                if (!early.isEmpty()) {
                    current.putAll(early);
                    early = new LinkedHashMap<>();
                }
                recipients.add(current);
            }
            Map<String, List<String>> target = current != null ? current : RECIPIENT_FIELDS.contains(key) ? early : perMessage;
            target.computeIfAbsent(key, k -> new ArrayList<>()).add(f.group(2).trim());
            lastKey = key;
            lastMap = target;
        }
        early.forEach((k, v) -> perMessage.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        return recipients;
    }

    /** The first value of the field (a lower-case name), or null. */
    static String first(Map<String, List<String>> fields, String key) {
        List<String> values = fields.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** "rfc822; jane@example.com" → "jane@example.com": the value after the type of a typed DSN field. */
    static String typeless(String value) {
        if (value == null) {
            return null;
        }
        int semi = value.indexOf(';');
        String v = semi >= 0 && semi < 20 && !value.substring(0, semi).contains(" ") ? value.substring(semi + 1) : value;
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    /** "smtp; 550 …" → "smtp": the type of a typed DSN field, lower case, or null when the value has none. */
    static String typeOf(String value) {
        if (value == null) {
            return null;
        }
        int semi = value.indexOf(';');
        return semi > 0 && semi < 20 && !value.substring(0, semi).contains(" ") ? value.substring(0, semi).trim().toLowerCase(Locale.ROOT) : null;
    }

    /** RFC 3464 actions in the service's status words: delayed → deferred; delivered, relayed, expanded → delivered; else bounced. */
    static String statusOf(String action) {
        if (action == null) {
            return "bounced";
        }
        return switch (action) {
            case "delayed" -> "deferred";
            case "delivered", "relayed", "expanded" -> "delivered";
            default -> "bounced";
        };
    }
}
