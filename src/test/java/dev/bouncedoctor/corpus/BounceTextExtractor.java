package dev.bouncedoctor.corpus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately plain extraction of the diagnostic text of a bounce mail, for the corpus test only:
 * the per-recipient {@code Status:} and {@code Diagnostic-Code:} fields of a delivery-status report,
 * or, for mails without them, the paragraph that looks most like an error. Real MIME parsing is a
 * separate adapter; this only has to hand the rules the text a support agent would paste.
 */
final class BounceTextExtractor {

    /** What one recipient's part of the mail says; {@code fromDsn} when it came from DSN fields. */
    record Extracted(String status, String enhancedCode, String message, boolean fromDsn) {
    }

    private static final Pattern FINAL_RECIPIENT = Pattern.compile("(?im)^(?:final|original)-recipient:");
    private static final Pattern ACTION = Pattern.compile("(?im)^action:\\s*(failed|delayed|delivered|relayed|expanded)");
    private static final Pattern FIELD = Pattern.compile("(?im)^(diagnostic-code|status|action|remote-mta):[ \\t]*(.*(?:\\r?\\n[ \\t]+.*)*)");
    private static final Pattern CODE = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})\\b");
    private static final Pattern BASE64_PART = Pattern.compile("(?is)content-transfer-encoding:\\s*base64\\s*\\r?\\n(?:[\\w-]+:.*\\r?\\n)*\\r?\\n((?:[A-Za-z0-9+/=]{8,}\\r?\\n)+)");
    private static final Pattern QP_SOFT_BREAK = Pattern.compile("=\\r?\\n");
    private static final Pattern QP_BYTE = Pattern.compile("=([0-9A-F]{2})");
    private static final Pattern ORIGINAL_MESSAGE = Pattern.compile("(?im)^(content-type:\\s*(message/rfc822|text/rfc822-headers)|-+ ?(original message|this is a copy of the message|the header of the original message|below this line is a copy|undelivered message follows).*)");
    private static final Pattern ERROR_WORDS = Pattern.compile("(?i)\\b([245]\\d\\d|[245]\\.\\d\\.\\d|unknown|not exist|no such|denied|reject|refused|blocked|full|quota|failed|failure|error|unable|invalid|expired|timeout|timed out|spam|disabled|unavailable|suspend|too large|exceed)\\b");

    static List<Extracted> extract(String raw) {
        String mail = decode(raw);
        List<Extracted> out = new ArrayList<>();
        if (mail.toLowerCase(Locale.ROOT).contains("feedback-type:")) {
            Matcher type = Pattern.compile("(?im)^feedback-type:\\s*(\\S+)").matcher(mail);
            out.add(new Extracted("complained", null, "Feedback-Type: " + (type.find() ? type.group(1) : "abuse"), true));
            return out;
        }
        // A delivery-status report gives one paragraph of fields per recipient.
        for (String paragraph : mail.split("\\r?\\n[ \\t]*\\r?\\n")) {
            if (FINAL_RECIPIENT.matcher(paragraph).find() || ACTION.matcher(paragraph).find()) {
                Extracted e = fields(paragraph, mail);
                if (e != null) {
                    out.add(e);
                }
            }
        }
        if (out.isEmpty()) {
            String block = errorParagraph(mail);
            if (block != null) {
                out.add(new Extracted("bounced", null, block, false));
            }
        }
        return out;
    }

    private static Extracted fields(String block, String mail) {
        String diagnostic = null;
        String code = null;
        String action = null;
        Matcher f = FIELD.matcher(block);
        while (f.find()) {
            String value = f.group(2).replaceAll("\\s+", " ").trim();
            switch (f.group(1).toLowerCase(Locale.ROOT)) {
                case "diagnostic-code" -> diagnostic = diagnostic == null ? value : diagnostic;
                case "status" -> {
                    Matcher c = CODE.matcher(value);
                    code = code == null && c.find() ? c.group(1) : code;
                }
                case "action" -> action = action == null ? value.toLowerCase(Locale.ROOT) : action;
                default -> { }
            }
        }
        if (diagnostic == null && code == null) {
            return null;
        }
        String status = action == null ? "bounced"
                : action.startsWith("delayed") ? "deferred"
                : action.startsWith("delivered") || action.startsWith("relayed") || action.startsWith("expanded") ? "delivered"
                : "bounced";
        if (diagnostic == null) {
            // No Diagnostic-Code: the human-readable part of the bounce says what happened.
            diagnostic = errorParagraph(mail);
        }
        String command = smtpCommand(mail);
        if (diagnostic != null && command != null && !diagnostic.toLowerCase(Locale.ROOT).contains("in reply to")) {
            // Postfix and Sendmail say which SMTP command the error answered, next to the diagnostic.
            diagnostic = diagnostic + " (in reply to " + command + " command)";
        }
        if (diagnostic != null && diagnostic.length() > 2000) {
            diagnostic = diagnostic.substring(0, 2000);
        }
        return new Extracted(status, code, blankToNull(diagnostic), true);
    }

    private static final Pattern IN_REPLY_TO = Pattern.compile("(?i)\\(in reply to (end of data|data|rcpt to|mail from)[^)]*command\\)");
    private static final Pattern TRANSCRIPT_DATA = Pattern.compile("(?im)^>>> data\\s*\\r?\\n<<< [45]\\d\\d");

    /** The SMTP command a failure answered, when the bounce states it. */
    private static String smtpCommand(String mail) {
        Matcher m = IN_REPLY_TO.matcher(mail);
        if (m.find()) {
            return m.group(1).toLowerCase(Locale.ROOT);
        }
        return TRANSCRIPT_DATA.matcher(mail).find() ? "end of data" : null;
    }

    /** The paragraphs before the returned original message that contain error-looking words. */
    private static String errorParagraph(String mail) {
        int body = mail.indexOf("\n\n");
        String text = body < 0 ? mail : mail.substring(body + 2);
        Matcher original = ORIGINAL_MESSAGE.matcher(text);
        if (original.find() && original.start() > 0) {
            text = text.substring(0, original.start());
        }
        StringBuilder found = new StringBuilder();
        for (String paragraph : text.split("\\r?\\n\\s*\\r?\\n")) {
            String lower = paragraph.toLowerCase(Locale.ROOT);
            if (lower.contains("content-type:") || lower.contains("reporting-mta:") || lower.contains("final-recipient:")) {
                continue;
            }
            if (ERROR_WORDS.matcher(paragraph).find()) {
                found.append(paragraph).append(' ');
            }
        }
        String joined = found.toString().replaceAll("\\s+", " ").trim();
        if (joined.isEmpty()) {
            return null;
        }
        return joined.length() > 2000 ? joined.substring(0, 2000) : joined;
    }

    /** Unwraps quoted-printable soft breaks and bytes, and appends the decoded text of base64 parts. */
    private static String decode(String raw) {
        String text = raw;
        if (text.toLowerCase(Locale.ROOT).contains("quoted-printable")) {
            text = QP_SOFT_BREAK.matcher(text).replaceAll("");
            text = QP_BYTE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        Matcher b64 = BASE64_PART.matcher(text);
        StringBuilder decoded = new StringBuilder();
        while (b64.find()) {
            try {
                decoded.append("\n\n").append(new String(Base64.getMimeDecoder().decode(b64.group(1)), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                // a part that only looks like base64: keep the mail as it is
            }
        }
        return decoded.isEmpty() ? text : text + decoded;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private BounceTextExtractor() {
    }
}
