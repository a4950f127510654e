package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.EventRequest;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Postmark: one JSON object per call, its RecordType naming the event. Postmark signs nothing; the call proves itself
 * with the basic auth credentials or the custom header set on the webhook in Postmark.
 */
@Singleton
public class PostmarkWebhook extends SharedSecretWebhook {

    static final String PROVIDER = "postmark";

    public PostmarkWebhook(ObjectMapper json, @ConfigProperty(name = "webhooks.postmark.username") Optional<String> username,
            @ConfigProperty(name = "webhooks.postmark.password") Optional<String> password,
            @ConfigProperty(name = "webhooks.postmark.token") Optional<String> token) {
        super(PROVIDER, json, username, password, token, "X-Webhook-Token");
    }

    @Override
    public List<EventRequest> events(WebhookCall call) {
        JsonNode e = ProviderJson.read(json, "body", call.bodyText());
        if (!e.isObject()) {
            throw ProviderJson.invalid("body", "send Postmark's webhook call as it posts it: one JSON object");
        }
        String recordType = ProviderJson.text(e, "RecordType");
        if (recordType == null || recordType.isBlank()) {
            throw ProviderJson.invalid("RecordType", "is missing; Postmark names every webhook record's type");
        }
        String messageId = ProviderJson.text(e, "MessageID");
        return switch (recordType) {
            // A spam complaint is one of Postmark's bounce records, numbered with the bounces (its ID), typed SpamComplaint.
            case "Bounce", "SpamComplaint" -> List.of(new EventRequest(bounceId(e), ProviderJson.text(e, "Email"), ProviderJson.text(e, "From"), PROVIDER,
                    ProviderJson.text(e, "Type"), null, null, ProviderJson.firstText(e, "Details", "Description"), null,
                    ProviderJson.instant("BouncedAt", ProviderJson.text(e, "BouncedAt")), null));
            case "Delivery" -> List.of(unnumbered(e, recordType, messageId, "Recipient", "DeliveredAt", ProviderJson.text(e, "Details")));
            case "Open", "Click" -> List.of(unnumbered(e, recordType, messageId, "Recipient", "ReceivedAt", null));
            case "SubscriptionChange" -> List.of(unnumbered(e, recordType, messageId, "Recipient", "ChangedAt", suppression(e)));
            // A record type Postmark adds later: stored under its name, for the rules to learn.
            default -> List.of(unnumbered(e, recordType, messageId, ProviderJson.text(e, "Recipient") != null ? "Recipient" : "Email",
                    null, ProviderJson.text(e, "Details")));
        };
    }

    private static String bounceId(JsonNode e) {
        String id = ProviderJson.text(e, "ID");
        if (id == null) {
            throw ProviderJson.invalid("ID", "a Postmark bounce record carries its ID");
        }
        return ProviderJson.eventId("bounce:" + id);
    }

    /**
     * An event Postmark gives no ID of its own. The id is RecordType:MessageID:recipient, and the event's time too:
     * one message can be opened, clicked or unsubscribed from more than once, each a call of its own with its own time,
     * while a retried call repeats the same time and so stays the same event.
     */
    private static EventRequest unnumbered(JsonNode e, String recordType, String messageId, String recipientField, String timeField, String message) {
        String recipient = ProviderJson.text(e, recipientField);
        String time = timeField == null ? null : ProviderJson.text(e, timeField);
        Instant at = ProviderJson.instant(timeField == null ? "time" : timeField, time);
        String eventId = messageId == null ? null
                : ProviderJson.eventId(recordType + ":" + messageId + ":" + recipient + (time == null ? "" : ":" + time));
        return new EventRequest(eventId, recipient, ProviderJson.text(e, "From"), PROVIDER, recordType, null, null, message, null, at, null);
    }

    private static String suppression(JsonNode e) {
        String suppress = ProviderJson.text(e, "SuppressSending");
        String reason = ProviderJson.text(e, "SuppressionReason");
        StringBuilder s = new StringBuilder();
        if (suppress != null) {
            s.append("SuppressSending: ").append(suppress);
        }
        if (reason != null) {
            s.append(s.isEmpty() ? "" : "; ").append("SuppressionReason: ").append(reason);
        }
        return s.isEmpty() ? null : s.toString();
    }
}
