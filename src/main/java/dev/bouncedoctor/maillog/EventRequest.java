package dev.bouncedoctor.maillog;

import dev.bouncedoctor.model.DeliveryFact;
import java.time.Instant;

/**
 * A delivery event to log: the fact's fields, a required recipient, the provider's {@code eventId}
 * (a retried webhook carries the same one) and optionally a {@code symptom} someone observed, such
 * as {@code flagged-but-delivered}.
 */
public record EventRequest(String eventId, String recipient, String sender, String provider, String status,
                           Integer smtpCode, String enhancedCode, String message, Integer errorCode, Instant occurredAt,
                           String symptom) {

    public DeliveryFact fact() {
        return new DeliveryFact(recipient, sender, provider, status, smtpCode, enhancedCode, message, errorCode, occurredAt);
    }
}
