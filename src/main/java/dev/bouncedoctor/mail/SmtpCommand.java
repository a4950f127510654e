package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.WhiteSpace;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which SMTP command the remote server was answering when it refused a recipient, as the bounce's text for people shows
 * it: a delivery-status report's fields do not say, a session transcript or Postfix's own words do.
 */
final class SmtpCommand {

    private static final Pattern IN_REPLY_TO = Pattern.compile("(?i)\\(in reply to ((?:end of )?[a-z]+(?: (?:to|from))?) command\\)");
    private static final Pattern COMMAND_NAME = Pattern.compile("(?i)^(MAIL FROM|RCPT TO|DATA|EHLO|HELO|STARTTLS|AUTH|RSET|QUIT|BDAT)\\b");

    private SmtpCommand() {
    }

    /**
     * The SMTP command the remote server rejected for this recipient, as the human-readable part shows it: the last
     * {@code >>> COMMAND} of a session transcript before a {@code <<<} reply naming the recipient (Sendmail, Courier), or
     * Postfix's "(in reply to end of DATA command)" after the recipient is named. Null when the text does not say.
     */
    static String forRecipient(String human, String recipient) {
        return human == null ? null : forRecipient(human, human.toLowerCase(Locale.ROOT), recipient);
    }

    /** {@code lower} is {@code human.toLowerCase(Locale.ROOT)}, made once by a caller that asks for many recipients. */
    static String forRecipient(String human, String lower, String recipient) {
        if (human.isEmpty()) {
            return null;
        }
        String address = recipient.toLowerCase(Locale.ROOT);
        if (human.contains(">>> ")) {
            String last = null;
            for (String line : Texts.lines(human)) {
                String t = line.trim();
                if (t.startsWith(">>> ")) {
                    Matcher m = COMMAND_NAME.matcher(t.substring(4).trim());
                    last = m.find() ? m.group(1).toUpperCase(Locale.ROOT) : null;
                } else if (t.startsWith("<<< ") && last != null && t.toLowerCase(Locale.ROOT).contains(address)) {
                    return last;
                }
            }
        }
        int at = lower.indexOf(address);
        if (at >= 0 && lower.indexOf("in reply to", at) >= 0) {
            Matcher m = IN_REPLY_TO.matcher(WhiteSpace.fold(human.substring(at, Math.min(human.length(), at + 2000))));
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }
}
