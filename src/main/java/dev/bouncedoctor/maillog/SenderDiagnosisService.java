package dev.bouncedoctor.maillog;

import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.maillog.MailLogExceptions.NotFound;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.RecipientHistory;
import dev.bouncedoctor.model.SenderFlag;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GET /v1/senders/{sender}/diagnoses: the rules' view of a sender, its latest failed event (else its
 * latest) diagnosed again against the current history, with its flagged recipients by reason.
 * Nothing is stored.
 */
@ApplicationScoped
public class SenderDiagnosisService {

    private final MailEventRepository events;
    private final RecipientRepository recipients;
    private final RecipientHistoryBuilder histories;
    private final DiagnosisService diagnosis;
    private final Normaliser normaliser = new Normaliser();

    public SenderDiagnosisService(MailEventRepository events, RecipientRepository recipients, RecipientHistoryBuilder histories,
                                  DiagnosisService diagnosis) {
        this.events = events;
        this.recipients = recipients;
        this.histories = histories;
        this.diagnosis = diagnosis;
    }

    public SenderReport sender(String rawSender) {
        String sender = QueryParameters.address(rawSender, "sender");
        return Transactions.inNew(() -> {
            MailEvent latest = events.latestFailureOrLatestOf(sender)
                    .orElseThrow(() -> new NotFound("the mail log has no diagnosed event from " + sender));
            RecipientRecord state = recipients.findById(latest.recipient);
            // The recipient as it was before this event: the event is the evidence, not part of the history.
            RecipientRecord before = state == null ? null : priorTo(state, latest);
            // From the stored columns: normalised again, as a fact that arrives is.
            DeliveryFact fact = normaliser.normalise(latest.reportedFact());
            RecipientHistory history = histories.of(fact, before, latest.symptom, latest.id);
            DiagnosisReport report = diagnosis.diagnose(new DiagnosisInput(fact, null, history));
            List<SenderFlag> flags = history.senderFlags();
            Map<String, Long> byReason = new TreeMap<>();
            boolean latestFlagged = Boolean.TRUE.equals(latest.flagged) && state != null && state.flaggedInvalid;
            if (latestFlagged) {
                byReason.merge(String.valueOf(latest.reason), 1L, Long::sum);
            }
            flags.forEach(f -> byReason.merge(String.valueOf(f.reason()), 1L, Long::sum));
            List<SenderFlag> flagged = new java.util.ArrayList<>();
            if (latestFlagged) {
                flagged.add(new SenderFlag(latest.recipient, latest.reason, latest.occurredAt));
            }
            flagged.addAll(flags);
            return new SenderReport(sender, flags.size() + (latestFlagged ? 1 : 0), byReason, latest.id, report.diagnoses(), report.rulesFired(),
                    report.ruleSet(), List.copyOf(flagged));
        });
    }

    /** The state minus the run of failures this event added, so the rules see it as when the event arrived (a detached copy). */
    private static RecipientRecord priorTo(RecipientRecord state, MailEvent event) {
        RecipientRecord before = new RecipientRecord();
        before.address = state.address;
        before.flaggedInvalid = state.flaggedInvalid;
        before.suppressed = state.suppressed;
        before.suppressedReason = state.suppressedReason;
        before.suppressedSince = state.suppressedSince;
        before.consecutiveFailures = Boolean.TRUE.equals(event.failure) ? Math.max(0, state.consecutiveFailures - 1) : state.consecutiveFailures;
        before.removedAt = state.removedAt;
        before.removedBy = state.removedBy;
        return before;
    }
}
