package dev.bouncedoctor.maillog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the mail log answers, in the design's wire names. */
public final class Views {

    private Views() {
    }

    public record EventView(Long id, String eventId, String recipient, String sender, String provider, String status,
                            String reportedStatus, Integer smtpCode, String enhancedCode, String message, Integer errorCode,
                            String symptom, Instant occurredAt, Instant receivedAt, boolean diagnosed, String diagnosisError,
                            String reason, String category, String retry, Boolean suppress, Boolean flagged, String ruleSetVersion) {

        static EventView of(MailEvent e) {
            return new EventView(e.id, e.eventId, e.recipient, e.sender, e.provider, e.status, e.reportedStatus, e.smtpCode,
                    e.enhancedCode, e.message, e.errorCode, e.symptom, e.occurredAt, e.receivedAt, e.diagnosed, e.diagnosisError,
                    e.reason, e.category, e.retry, e.suppress, e.flagged, e.ruleSetVersion);
        }
    }

    /** The stored diagnosis of an event: diagnoses (primary first) and the rules that fired. */
    public record StoredDiagnosis(List<Diagnosis> diagnoses, List<String> rulesFired, String ruleSetVersion) {

        static StoredDiagnosis of(DiagnosisReport report) {
            return new StoredDiagnosis(report.diagnoses(), report.rulesFired(), report.ruleSet() == null ? null : report.ruleSet().version());
        }
    }

    public record RecipientView(String address, boolean flaggedInvalid, boolean suppressed, String suppressedReason,
                                Instant suppressedSince, int consecutiveFailures, Long lastEventId, Instant lastEventAt,
                                String lastStatus, String lastReason, String lastCategory, Instant removedAt, String removedBy) {

        static RecipientView of(RecipientRecord r) {
            return r == null ? null : new RecipientView(r.address, r.flaggedInvalid, r.suppressed, r.suppressedReason, r.suppressedSince,
                    r.consecutiveFailures, r.lastEventId, r.lastEventAt, r.lastStatus, r.lastReason, r.lastCategory, r.removedAt, r.removedBy);
        }
    }

    /** The answer to one ingested event; {@code created} is false when the eventId was seen before. */
    public record IngestResult(@JsonIgnore boolean created, EventView event, StoredDiagnosis diagnosis, RecipientView recipient) {
    }

    public record EventDetail(EventView event, StoredDiagnosis diagnosis) {
    }

    public record RecipientDetail(RecipientView recipient, List<EventView> recentEvents) {
    }

    public record PageView<T>(List<T> items, int page, int size, long total) {
    }

    /**
     * What is wrong for a sender: its flagged recipients within the history window, their reasons, and
     * the rules' diagnosis of its latest failed event seen against that history.
     */
    public record SenderReport(String sender, int flaggedRecipients, Map<String, Long> flaggedByReason, Long basedOnEvent,
                               List<Diagnosis> diagnoses, List<String> rulesFired, DiagnosisReport.RuleSetRef ruleSet) {
    }
}
