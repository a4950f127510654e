package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.LowerCase;
import dev.bouncedoctor.model.WhiteSpace;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which SMTP command the remote server was answering when it refused a recipient: a delivery-status report's fields do
 * not say, a session transcript or Postfix's own words do. Named as {@code BounceContext.smtpCommand} carries it: the
 * command's verb in upper case ({@code RCPT}, {@code MAIL}, {@code DATA}, {@code STARTTLS}, …), the end of the data
 * ("end of DATA") as {@code DATA}, so that rules compare a value instead of reading text the parser wrote.
 */
final class SmtpCommand {

    private static final Pattern IN_REPLY_TO = Pattern.compile("(?i)\\(in reply to ((?:end of )?[a-z]+(?: (?:to|from))?) command\\)");
    private static final Pattern COMMAND_NAME = Pattern.compile("(?i)^(MAIL FROM|RCPT TO|DATA|EHLO|HELO|STARTTLS|AUTH|RSET|QUIT|BDAT)\\b");

    private SmtpCommand() {
    }

    /**
     * The command a diagnostic text names in Postfix's words, "(in reply to RCPT TO command)": a text that says it
     * itself (a Diagnostic-Code written that way, or the text for people when the report has no Diagnostic-Code). Null
     * when it does not.
     */
    static String saidIn(String text) {
        Matcher m = IN_REPLY_TO.matcher(WhiteSpace.fold(text));
        return m.find() ? name(m.group(1)) : null;
    }

    /**
     * The SMTP command the remote server rejected for this recipient, as the human-readable part shows it: the last
     * {@code >>> COMMAND} of a session transcript before a {@code <<<} reply naming the recipient (Sendmail, Courier), or
     * Postfix's "(in reply to end of DATA command)" after the recipient is named. Null when the text does not say.
     */
    static String forRecipient(String human, String recipient) {
        return human == null ? null : forRecipient(human, LowerCase.of(human), recipient);
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
                } else if (t.startsWith("<<< ") && last != null && LowerCase.of(t).contains(address)) {
                    return name(last);
                }
            }
        }
        int at = lower.indexOf(address);
        if (at >= 0 && lower.indexOf("in reply to", at) >= 0) {
            Matcher m = IN_REPLY_TO.matcher(WhiteSpace.fold(human.substring(at, Math.min(human.length(), at + 2000))));
            if (m.find()) {
                return name(m.group(1));
            }
        }
        return null;
    }

    /** "RCPT TO" → RCPT, "end of DATA" → DATA, "MAIL FROM" → MAIL: the verb alone, upper case. */
    private static String name(String said) {
        String command = said.regionMatches(true, 0, "end of ", 0, 7) ? said.substring(7) : said;
        int space = command.indexOf(' ');
        return (space < 0 ? command : command.substring(0, space)).toUpperCase(Locale.ROOT);
    }
}
