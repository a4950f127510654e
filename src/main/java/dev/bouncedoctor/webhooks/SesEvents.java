package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncedoctor.maillog.EventRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one SES notification (the {@code Message} of an SNS Notification): either the identity's feedback
 * notification ({@code notificationType}) or event publishing ({@code eventType}), one event per recipient. The type
 * only chooses which of SES's objects holds the recipients; it goes into {@code status} as sent, and the rules say what
 * it means.
 */
final class SesEvents {

    static final String PROVIDER = "ses";

    private SesEvents() {
    }

    /** @param snsMessageId the SNS MessageId, unique per notification and the same when SNS retries it */
    static List<EventRequest> of(String snsMessageId, JsonNode root) {
        if (!root.isObject()) {
            throw ProviderJson.invalid("Message", "is not an SES notification (a JSON object)");
        }
        String kind = ProviderJson.firstText(root, "eventType", "notificationType");
        if (kind == null) {
            throw ProviderJson.invalid("Message", "is not an SES notification: it has neither eventType nor notificationType");
        }
        JsonNode mail = root.path("mail");
        String sender = ProviderJson.text(mail, "source");
        List<EventRequest> out = new ArrayList<>();
        switch (kind) {
            case "Bounce" -> {
                JsonNode bounce = root.path("bounce");
                Instant at = ProviderJson.instant("Message.bounce.timestamp", ProviderJson.text(bounce, "timestamp"));
                String subType = ProviderJson.text(bounce, "bounceSubType");
                for (JsonNode r : bounce.path("bouncedRecipients")) {
                    String address = ProviderJson.text(r, "emailAddress");
                    out.add(event(snsMessageId, address, sender, ProviderJson.text(bounce, "bounceType"), ProviderJson.text(r, "status"),
                            joined(subType, ProviderJson.text(r, "diagnosticCode")), at));
                }
            }
            case "Complaint" -> {
                JsonNode complaint = root.path("complaint");
                Instant at = ProviderJson.instant("Message.complaint.timestamp", ProviderJson.text(complaint, "timestamp"));
                for (JsonNode r : complaint.path("complainedRecipients")) {
                    out.add(event(snsMessageId, ProviderJson.text(r, "emailAddress"), sender, kind, null,
                            ProviderJson.text(complaint, "complaintFeedbackType"), at));
                }
            }
            case "Delivery" -> {
                JsonNode delivery = root.path("delivery");
                Instant at = ProviderJson.instant("Message.delivery.timestamp", ProviderJson.text(delivery, "timestamp"));
                for (JsonNode r : delivery.path("recipients")) {
                    out.add(event(snsMessageId, r.isValueNode() ? r.asText() : null, sender, kind, null, ProviderJson.text(delivery, "smtpResponse"), at));
                }
            }
            case "DeliveryDelay" -> {
                JsonNode delay = root.path("deliveryDelay");
                Instant at = ProviderJson.instant("Message.deliveryDelay.timestamp", ProviderJson.text(delay, "timestamp"));
                for (JsonNode r : delay.path("delayedRecipients")) {
                    out.add(event(snsMessageId, ProviderJson.text(r, "emailAddress"), sender, kind, ProviderJson.text(r, "status"),
                            joined(ProviderJson.text(delay, "delayType"), ProviderJson.text(r, "diagnosticCode")), at));
                }
            }
            default -> {
                // Send, Reject, Open, Click, Rendering Failure, Subscription, and whatever SES adds: about the mail, so
                // one event per destination, timed by the type's own object where it has one.
                JsonNode detail = detail(root, kind);
                Instant at = ProviderJson.instant("Message.timestamp",
                        ProviderJson.firstText(detail, "timestamp") != null ? ProviderJson.text(detail, "timestamp") : ProviderJson.text(mail, "timestamp"));
                String message = ProviderJson.firstText(detail, "reason", "errorMessage");
                for (JsonNode r : mail.path("destination")) {
                    out.add(event(snsMessageId, r.isValueNode() ? r.asText() : null, sender, kind, null, message, at));
                }
            }
        }
        if (out.isEmpty()) {
            throw ProviderJson.invalid("Message", "the SES " + kind + " notification names no recipient");
        }
        return out;
    }

    /** The object SES names after the event type ({@code send}, {@code open}, {@code reject}; {@code failure} for a rendering failure). */
    private static JsonNode detail(JsonNode root, String kind) {
        String field = kind.isEmpty() ? kind : Character.toLowerCase(kind.charAt(0)) + kind.substring(1);
        JsonNode d = root.path(field);
        return d.isObject() ? d : root.path("failure");
    }

    private static EventRequest event(String snsMessageId, String recipient, String sender, String status, String enhancedCode, String message,
                                      Instant at) {
        String eventId = ProviderJson.eventId(snsMessageId + ":" + recipient);
        return new EventRequest(eventId, recipient, sender, PROVIDER, status, null, enhancedCode, message, null, at, null);
    }

    private static String joined(String first, String second) {
        if (first == null || first.isBlank()) {
            return second;
        }
        return second == null || second.isBlank() ? first : first + "; " + second;
    }
}
