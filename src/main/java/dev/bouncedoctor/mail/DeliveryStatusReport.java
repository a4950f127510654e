package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.LowerCase;
import dev.bouncedoctor.model.BounceContext;
import dev.bouncedoctor.model.SmtpCodes;
import dev.bouncedoctor.model.WhiteSpace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 3464 delivery status notifications: a {@code message/delivery-status} (or RFC 6533 global) part, or the same fields
 * in a text part of a bounce (some MTAs write them there, or into the body of a non-MIME mail). One recipient per
 * Final-Recipient (else Original-Recipient); Action failed → {@code bounced}, delayed → {@code deferred}, delivered /
 * relayed / expanded → {@code delivered}; the message is the Diagnostic-Code, or the text for people about that
 * recipient when the Diagnostic-Code says no more than a code.
 */
final class DeliveryStatusReport implements MailFormat {

    static final String FORMAT = "delivery-status";

    private static final Pattern DSN_RECIPIENT_FIELD = Pattern.compile("(?im)^(?:final-recipient|original-recipient)\\s*:");
    private static final Pattern DSN_ACTION_FIELD = Pattern.compile("(?im)^(?:action|status)\\s*:");
    /** A Status that starts with a reply code ("553 Exceeded maximum inbound message size") instead of an enhanced one. */
    private static final Pattern STATUS_REPLY = Pattern.compile("\\s*[2-5][0-9][0-9]\\s");
    /** A reply's first line when more follow: a reply code, '-', the words (RFC 5321 4.2.1). */
    private static final Pattern FIRST_OF_MULTILINE_REPLY = Pattern.compile("(?s)\\s*([2-5][0-9][0-9])-([^\\n]+?)\\s*");
    /** The most lines of one reply read from a transcript. */
    private static final int MAX_REPLY_LINES = 20;
    /** How much longer than the Diagnostic-Code the human-readable text about the recipient may be to replace it. */
    private static final int CONTEXT_CHARS = 300;
    /** A reply that is little more than its code: "550 Rejected", "554 5.0.0 Denied". */
    private static final Pattern BARE_REPLY = Pattern.compile("[245]\\d\\d(?:[ -]" + SmtpCodes.ENHANCED + ")?(?:[ -]+[A-Za-z.,!]+){0,2}\\s*");

    /** Whether a MIME type is a delivery-status report's. */
    static boolean isReportType(String type) {
        return type.equals("message/delivery-status") || type.equals("message/global-delivery-status");
    }

    @Override
    public List<BounceRecipient> read(Envelope mail) {
        List<BounceRecipient> out = new ArrayList<>();
        // The type is tested first: asking for a part's text decodes it.
        for (Part report : mail.mail().parts().stream().filter(p -> isReportType(p.type()) && p.text() != null).toList()) {
            recipients(mail, report.text(), out);
        }
        if (out.isEmpty() && mail.bounceLike()) {
            // Some MTAs put the DSN fields into a text part, or into the body of a non-MIME mail.
            for (Part p : mail.mail().parts()) {
                if (p.text() != null && !p.enclosed() && hasDsnFields(p.text())) {
                    recipients(mail, p.text(), out);
                }
            }
        }
        return out;
    }

    private static boolean hasDsnFields(String text) {
        // Both recipient fields end in "-recipient": a text without it is no DSN, whatever else it holds.
        return Texts.containsIgnoreCase(text, "-recipient") && DSN_RECIPIENT_FIELD.matcher(text).find() && DSN_ACTION_FIELD.matcher(text).find();
    }

    /** The recipients of one report body, added to {@code out} (numbered on from its size). */
    private static void recipients(Envelope env, String text, List<BounceRecipient> out) {
        Map<String, List<String>> perMessage = new LinkedHashMap<>();
        // What the human-readable text says about each recipient: found when first needed, which a Diagnostic-Code that says
        // more than a bare reply never is.
        Supplier<Map<String, RecipientBlocks.Block>> blocks = new Once<>(() -> RecipientBlocks.of(env.ownAddresses(), env.contacts(), env.humanText()));
        List<Map<String, List<String>>> groups = DsnFields.groups(text, perMessage);
        String lastDate = null;
        Instant lastWhen = null;
        // The human-readable text in lower case, for SmtpCommand: made once, not once per recipient.
        String lowerHuman = null;
        for (Map<String, List<String>> group : groups) {
            String recipient = AddressFinder.ofTyped(DsnFields.first(group, "final-recipient"));
            if (AddressFinder.valid(recipient) == null) {
                // A gateway's Final-Recipient in its own address type ("x400; /S=jane/…", "LOCAL; <jane>") or a local name
                // ("jane@mailhost") is no address to diagnose; the Original-Recipient the sender wrote then is.
                String original = AddressFinder.ofTyped(DsnFields.first(group, "original-recipient"));
                if (original != null && (recipient == null || AddressFinder.valid(original) != null)) {
                    recipient = original;
                }
            }
            String action = Texts.lower(DsnFields.typeless(DsnFields.first(group, "action")));
            String statusField = DsnFields.first(group, "status");
            String enhanced = null;
            if (statusField != null) {
                enhanced = SmtpCodes.firstEnhancedCode(statusField);
            }
            String diagnostic = DsnFields.first(group, "diagnostic-code");
            String diagnosticType = DsnFields.typeOf(diagnostic);
            String message = withSupplementaryInfo(DsnFields.typeless(diagnostic), DsnFields.first(group, "x400-supplementary-info"));
            if (message == null || message.chars().noneMatch(Character::isLetter)) {
                RecipientBlocks.Block block = recipient == null ? null : blocks.get().get(recipient.toLowerCase(Locale.ROOT));
                // The report's only recipient: the whole text is about it, including what was said before its name. So it
                // is when the text names the recipient alone, in a list under the sentence that says why.
                message = block != null && groups.size() > 1 && block.text().replace(block.address(), "").chars().anyMatch(Character::isLetter)
                        ? block.text() : env.humanText();
                if (enhanced == null && statusField != null && STATUS_REPLY.matcher(statusField).lookingAt()
                        && statusField.chars().anyMatch(Character::isLetter)) {
                    // Without a Diagnostic-Code, a Status that carries a reply and words instead of an enhanced code
                    // ("553 …") is the MTA's own diagnostic: it comes first, so that its reply code is the one the message
                    // speaks. (The words after an enhanced code only name the code.)
                    message = statusField + "\n" + message;
                }
            } else {
                message = withReplyContinuation(message, env.humanText());
                if (recipient != null) {
                    String key = recipient.toLowerCase(Locale.ROOT);
                    message = withContext(message, () -> blocks.get().get(key));
                }
            }
            String date = DsnFields.first(group, "last-attempt-date");
            if (date == null) {
                date = DsnFields.first(perMessage, "arrival-date");
            }
            // Recipients of one report mostly share their date: parsed once.
            Instant when = date != null && date.equals(lastDate) ? lastWhen : env.dateOf(date);
            lastDate = date;
            lastWhen = when;
            // The remote server's own code in its reply says more than the reporting MTA's summary in Status.
            String spoken = SpokenCodes.in(message, !"delivered".equals(DsnFields.statusOf(action))).enhanced();
            if (spoken != null && saysMore(spoken, enhanced, action)) {
                enhanced = spoken;
            }
            // Which SMTP command the remote server was answering, so that rules can tell a refusal at RCPT from one after
            // DATA: named by the message itself when it says so in Postfix's words, else by the text for people about
            // this recipient (the DSN fields do not say, a transcript does).
            String command = null;
            if (message != null) {
                if (LowerCase.of(message).contains("in reply to")) {
                    command = SmtpCommand.saidIn(message);
                } else if (recipient != null) {
                    if (lowerHuman == null) {
                        lowerHuman = LowerCase.of(env.humanText());
                    }
                    command = SmtpCommand.forRecipient(env.humanText(), lowerHuman, recipient);
                }
            }
            BounceContext context = new BounceContext(FORMAT, action, statusField, diagnosticType,
                    DsnFields.typeless(DsnFields.first(group, "remote-mta")), DsnFields.typeless(DsnFields.first(perMessage, "reporting-mta")), null,
                    env.subject(), env.from(), command);
            out.add(RecipientFacts.of(out.size() + 1, recipient, env, DsnFields.statusOf(action), enhanced, message,
                    when != null ? when : env.date(), context));
        }
    }

    /**
     * A Diagnostic-Code that is only the first line of a multi-line reply ("550-Verification failed for <…>": the '-' after
     * the code says more lines follow) with the rest of that reply, as the transcript in the text for people has it
     * ("<<< 550-…", "<<< 550 Sender verify failed"): Sendmail puts the first line in the DSN, and the line that says why
     * is often the last. Unchanged when the text does not quote that line.
     */
    static String withReplyContinuation(String diagnostic, String human) {
        Matcher first = FIRST_OF_MULTILINE_REPLY.matcher(diagnostic);
        if (!first.matches() || human == null) {
            return diagnostic;
        }
        String code = first.group(1);
        String line = first.group(2).strip();
        String[] lines = Texts.lines(human);
        for (int i = 0; i < lines.length; i++) {
            int at = lines[i].indexOf(code + "-" + line);
            if (at < 0) {
                continue;
            }
            // What stands before the code on the quoted line ("<<< "): each further line of the reply starts the same way.
            String prefix = lines[i].substring(0, at);
            StringBuilder out = new StringBuilder(diagnostic.strip());
            int read = 0;
            for (int j = i + 1; j < lines.length && j <= i + MAX_REPLY_LINES; j++) {
                String next = lines[j];
                if (!next.startsWith(prefix + code) || next.length() <= prefix.length() + code.length()) {
                    break;
                }
                char mark = next.charAt(prefix.length() + code.length());
                if (mark != '-' && mark != ' ') {
                    break;
                }
                out.append('\n').append(next.substring(prefix.length()).strip());
                read++;
                if (mark == ' ') {
                    break;
                }
            }
            // The same line may be quoted first where no further lines follow it (Sendmail's "(reason: 550-…)" above
            // its transcript): only a quote the reply goes on after is the transcript.
            if (read > 0) {
                return out.toString();
            }
        }
        return diagnostic;
    }

    /**
     * The Diagnostic-Code with an X.400 gateway's supplementary information after it: the gateway's Diagnostic-Code gives
     * the X.400 reason and diagnostic numbers, while the words of the MTA that refused the message, when it had any, are
     * in its X400-Supplementary-Info (quoted). Either may be null.
     */
    private static String withSupplementaryInfo(String diagnostic, String supplementary) {
        if (supplementary == null) {
            return diagnostic;
        }
        String info = supplementary.strip();
        if (info.length() >= 2 && info.startsWith("\"") && info.endsWith("\"")) {
            info = info.substring(1, info.length() - 1).strip();
        }
        if (info.isEmpty()) {
            return diagnostic;
        }
        return diagnostic == null ? info : diagnostic + "\n" + info;
    }

    /**
     * For a Diagnostic-Code that is a bare reply, the human-readable text about the recipient when it quotes it and says a little more around it
     * (Exim: "SMTP error from remote mail server after EHLO …: 550 Rejected", where the DSN has only "550 Rejected");
     * otherwise the Diagnostic-Code as it is. {@code about} gives the recipient's block (or null), asked for only for a bare reply.
     */
    private static String withContext(String diagnostic, Supplier<RecipientBlocks.Block> about) {
        String said = WhiteSpace.fold(diagnostic).trim();
        if (!BARE_REPLY.matcher(said).matches()) {
            // Most Diagnostic-Codes say more than a bare reply: the text about the recipient need not be found then.
            return diagnostic;
        }
        RecipientBlocks.Block block = about.get();
        if (block == null) {
            return diagnostic;
        }
        String context = WhiteSpace.fold(block.text()).trim();
        if (context.length() > said.length() && context.length() <= said.length() + CONTEXT_CHARS
                && context.toLowerCase(Locale.ROOT).contains(said.toLowerCase(Locale.ROOT))) {
            return block.text();
        }
        return diagnostic;
    }

    /**
     * Whether the enhanced code spoken in the text should replace the DSN Status: the remote server's own code says more
     * than the reporting MTA's summary when both are of the same class, or when the Status's class contradicts the Action
     * (failed with a 4.x.x) and the spoken one agrees with it; never an unspecific X.0.0 over a specific Status.
     */
    private static boolean saysMore(String spoken, String status, String action) {
        if (status == null) {
            return true;
        }
        if (spoken.endsWith(".0.0") && !status.endsWith(".0.0")) {
            return false;
        }
        if (spoken.charAt(0) == status.charAt(0)) {
            return true;
        }
        char wanted = "failed".equals(action) ? '5' : "delayed".equals(action) ? '4' : 0;
        return wanted != 0 && spoken.charAt(0) == wanted && status.charAt(0) != wanted;
    }
}
