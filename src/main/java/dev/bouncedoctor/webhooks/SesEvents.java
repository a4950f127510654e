package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncedoctor.mail.SesRecords;
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
        String kind = SesRecords.kindOf(root);
        if (kind == null) {
            throw ProviderJson.invalid("Message", "is not an SES notification: it has neither eventType nor notificationType");
        }
        JsonNode mail = root.path("mail");
        String sender = ProviderJson.text(mail, "source");
        List<EventRequest> out = new ArrayList<>();
        for (SesRecords.Recipient r : SesRecords.recipients(root)) {
            // A bounce's status is its bounceType (Permanent, Transient) and its sub-type leads the message, as the rules
            // read SES bounces (rules/README.md, "Provider events"); the other records are named by their own type.
            boolean bounce = r.bounceType() != null;
            String field = "Message." + Character.toLowerCase(kind.charAt(0)) + kind.substring(1) + ".timestamp";
            out.add(event(snsMessageId, r.address(), sender, bounce ? r.bounceType() : kind, r.status(),
                    r.feedbackType() != null ? r.feedbackType() : joined(r.subType(), r.diagnostic()), ProviderJson.instant(field, r.timestamp())));
        }
        if (!SesRecords.namesRecipients(kind)) {
            // Send, Reject, Open, Click, Rendering Failure, Subscription, and whatever SES adds: about the mail, so
            // one event per destination, timed by the type's own object where it has one.
            JsonNode detail = detail(root, kind);
            Instant at = ProviderJson.instant("Message.timestamp",
                    ProviderJson.firstText(detail, "timestamp") != null ? ProviderJson.text(detail, "timestamp") : ProviderJson.text(mail, "timestamp"));
            String message = ProviderJson.firstText(detail, "reason", "errorMessage");
            for (JsonNode d : mail.path("destination")) {
                out.add(event(snsMessageId, d.isValueNode() ? d.asText() : null, sender, kind, null, message, at));
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
