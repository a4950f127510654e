package dev.bouncedoctor.mail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The recipients Amazon SES names in one notification, in either of its forms: feedback notifications
 * ({@code notificationType}) and event publishing ({@code eventType}), whose bounce, complaint, delivery and delivery
 * delay objects are the same. Read once here for both ways a notification arrives: mailed (JsonNotification) and
 * posted through SNS (the SES webhook). Only SES's own per-recipient lists are read, never {@code mail.source} (the
 * sender); an event about the mail rather than a recipient (Send, Open, Click, ...) names none.
 */
public final class SesRecords {

    /**
     * One recipient of a notification, in SES's words: {@code kind} as SES writes it ("Bounce", "DeliveryDelay"), the
     * bounce's type and sub-type, the DSN-like action, status and diagnostic code (a delivery's SMTP response; a delay's
     * type before its diagnostic code), a complaint's feedback type, the reporting or remote MTA, and the record's time.
     */
    public record Recipient(String kind, String address, String bounceType, String subType, String action, String status, String diagnostic,
                            String feedbackType, String remoteMta, String timestamp) {
    }

    private SesRecords() {
    }

    /** The notification's type as SES writes it (notificationType, else eventType); null when it has neither. */
    public static String kindOf(JsonNode root) {
        JsonNode kind = root.path("notificationType").isTextual() ? root.path("notificationType") : root.path("eventType");
        return kind.isTextual() && !kind.asText().isBlank() ? kind.asText() : null;
    }

    /** Whether SES keeps a record per recipient for this kind (bounce, complaint, delivery, delivery delay). */
    public static boolean namesRecipients(String kind) {
        return kind != null && java.util.Set.of("bounce", "complaint", "delivery", "deliverydelay").contains(kind.toLowerCase(java.util.Locale.ROOT));
    }

    /** The recipients of a bounce, complaint, delivery or delivery delay; empty for any other kind. */
    public static List<Recipient> recipients(JsonNode root) {
        String kind = kindOf(root);
        List<Recipient> out = new ArrayList<>();
        if (kind == null) {
            return out;
        }
        switch (kind.toLowerCase(java.util.Locale.ROOT)) {
            case "bounce" -> {
                JsonNode bounce = root.path("bounce");
                for (JsonNode r : bounce.path("bouncedRecipients")) {
                    out.add(new Recipient(kind, text(r, "emailAddress"), text(bounce, "bounceType"), text(bounce, "bounceSubType"), text(r, "action"),
                            text(r, "status"), text(r, "diagnosticCode"), null, text(bounce, "reportingMTA"), text(bounce, "timestamp")));
                }
            }
            case "complaint" -> {
                JsonNode complaint = root.path("complaint");
                for (JsonNode r : complaint.path("complainedRecipients")) {
                    out.add(new Recipient(kind, text(r, "emailAddress"), null, null, null, null, null, text(complaint, "complaintFeedbackType"),
                            null, text(complaint, "timestamp")));
                }
            }
            case "delivery" -> {
                JsonNode delivery = root.path("delivery");
                for (JsonNode r : delivery.path("recipients")) {
                    out.add(new Recipient(kind, r.isValueNode() ? r.asText() : null, null, null, "delivered", null, text(delivery, "smtpResponse"),
                            null, text(delivery, "remoteMtaIp"), text(delivery, "timestamp")));
                }
            }
            case "deliverydelay" -> {
                JsonNode delay = root.path("deliveryDelay");
                String delayType = text(delay, "delayType");
                for (JsonNode r : delay.path("delayedRecipients")) {
                    String diagnostic = text(r, "diagnosticCode");
                    out.add(new Recipient(kind, text(r, "emailAddress"), null, null, "delayed", text(r, "status"),
                            delayType == null ? diagnostic : diagnostic == null ? delayType : delayType + "; " + diagnostic, null,
                            text(delay, "reportingMTA"), text(delay, "timestamp")));
                }
            }
            default -> {
                // An event about the mail (Send, Open, Click, Reject, Rendering Failure, Subscription): no recipient's record.
            }
        }
        return out;
    }

    /** A field's value as text; null when absent, null or blank. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() && !v.asText().isBlank() ? v.asText() : null;
    }
}
