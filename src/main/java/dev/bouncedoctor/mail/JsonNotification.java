package dev.bouncedoctor.mail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.model.BounceContext;
import dev.bouncedoctor.model.SmtpCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Amazon SES event notifications mailed as JSON (directly or inside an SNS envelope), in a text part of the mail: the
 * same recipient, action, status and diagnostic code as a DSN, in the notification's own field names. A bounce reads as
 * a DSN; a complaint → {@code complained}; a delivery → {@code delivered}; a delivery delay → {@code deferred}.
 * Both of SES's forms are read: feedback notifications ({@code notificationType}) and event publishing
 * ({@code eventType}), whose records are the same objects. The recipients are those SES names in its bounce,
 * complaint, delivery or delay object, never {@code mail.source} (the sender) nor the mail's other addresses; an event
 * about the mail rather than a recipient (Send, Open, Click, ...) names none.
 */
final class JsonNotification implements MailFormat {

    static final String FORMAT = "json-notification";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String nothingToReport(Envelope mail) {
        for (Part p : mail.mail().parts()) {
            if (p.text() != null && !p.enclosed() && p.type().startsWith("text/")) {
                String kind = kind(p.text());
                if (kind != null) {
                    return "the mail is an Amazon SES " + kind + " notification, which names no failed recipient";
                }
            }
        }
        return null;
    }

    @Override
    public List<BounceRecipient> read(Envelope mail) {
        List<BounceRecipient> out = new ArrayList<>();
        for (Part p : mail.mail().parts()) {
            if (out.isEmpty() && p.text() != null && !p.enclosed() && p.type().startsWith("text/")) {
                JsonNode root = notification(p.text());
                if (root != null) {
                    recipients(mail, SesRecords.recipients(root), out);
                }
            }
        }
        return out;
    }

    private static void recipients(Envelope env, List<SesRecords.Recipient> records, List<BounceRecipient> out) {
        for (SesRecords.Recipient e : records) {
            String status;
            String message;
            String enhanced = null;
            String feedbackType = null;
            switch (e.kind().toLowerCase(Locale.ROOT)) {
                case "complaint" -> {
                    status = "complained";
                    feedbackType = Texts.lower(e.feedbackType());
                    message = "Feedback-Type: " + (feedbackType == null ? "unknown" : feedbackType);
                }
                case "delivery" -> {
                    status = "delivered";
                    message = e.diagnostic();
                }
                default -> {
                    status = DsnFields.statusOf(Texts.lower(e.action()));
                    message = DsnFields.typeless(e.diagnostic());
                    enhanced = SmtpCodes.firstEnhancedCode(e.status());
                }
            }
            String spoken = SmtpCodes.firstEnhancedCode(message);
            if (spoken != null && (enhanced == null || spoken.charAt(0) == enhanced.charAt(0))) {
                enhanced = spoken;
            }
            BounceContext context = new BounceContext(FORMAT, Texts.lower(e.action()), e.status(), DsnFields.typeOf(e.diagnostic()), e.remoteMta(),
                    null, feedbackType, env.subject(), env.from(), null);
            out.add(RecipientFacts.of(out.size() + 1, e.address(), env, status, enhanced, message, env.date(), context));
        }
    }

    /** The notification's type in lower case (notificationType or eventType) when the text holds one, else null. */
    private static String kind(String text) {
        JsonNode root = notification(text);
        return root == null ? null : SesRecords.kindOf(root).toLowerCase(Locale.ROOT);
    }

    /** The first SES notification in the text, unwrapped from its SNS envelope; null when the text holds none. */
    private static JsonNode notification(String text) {
        int start = text.indexOf('{');
        if (start < 0 || !(text.contains("notificationType") || text.contains("eventType"))) {
            return null;
        }
        String json = text.substring(start);
        JsonNode root = tree(json);
        if (root == null) {
            // Relays that break long lines insert "!" + CRLF + space (sendmail's 990-character wrap); undo that.
            root = tree(json.replaceAll("!?\\r?\\n ", ""));
        }
        if (root != null && root.path("Message").isTextual()) {
            root = tree(root.path("Message").asText());
        }
        return root == null || SesRecords.kindOf(root) == null ? null : root;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
