package dev.bouncedoctor.maillog;

import java.time.Instant;

/**
 * One event of the mail log as the API shows it. {@code status} is what the reported status means (the vocabulary's
 * statuses), {@code reportedStatus} the word as sent; {@code failure} whether the rules counted it as undelivered.
 */
public record EventView(Long id, String eventId, String recipient, String sender, String provider, String status,
                        String reportedStatus, Integer smtpCode, String enhancedCode, String message, Integer errorCode,
                        String symptom, Instant occurredAt, Instant receivedAt, boolean diagnosed, String diagnosisError,
                        String reason, String category, String retry, Boolean suppress, Boolean flagged, String ruleSetVersion,
                        Boolean failure) {

    static EventView of(MailEvent e) {
        return new EventView(e.id, e.eventId, e.recipient, e.sender, e.provider, e.status, e.reportedStatus, e.smtpCode,
                e.enhancedCode, e.message, e.errorCode, e.symptom, e.occurredAt, e.receivedAt, e.diagnosed, e.diagnosisError,
                e.reason, e.category, e.retry, e.suppress, e.flagged, e.ruleSetVersion, e.failure);
    }
}
