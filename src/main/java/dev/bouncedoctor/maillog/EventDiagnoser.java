package dev.bouncedoctor.maillog;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.engine.RuleSetDefectException;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.LogMask;
import dev.bouncedoctor.model.RecipientVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Runs the rules on one event of the mail log with its recipient's history, keeps their diagnosis
 * with the event, and applies their verdict to the recipient. Mechanical: the rules decide. Called
 * inside the caller's transaction, with the recipient's row locked.
 */
@ApplicationScoped
public class EventDiagnoser {

    private static final Logger LOG = Logger.getLogger(EventDiagnoser.class);

    private final DiagnosisService diagnosis;
    private final RecipientHistoryBuilder history;
    private final RecipientRepository recipients;
    private final DiagnosisJson json;

    public EventDiagnoser(DiagnosisService diagnosis, RecipientHistoryBuilder history, RecipientRepository recipients, DiagnosisJson json) {
        this.diagnosis = diagnosis;
        this.history = history;
        this.recipients = recipients;
        this.json = json;
    }

    /**
     * Diagnoses the event (stored or about to be) and fills its diagnosis columns; a failing rule set
     * leaves it undiagnosed, with the cause, not lost. Null when it could not be diagnosed.
     */
    public DiagnosisReport diagnose(MailEvent event, DeliveryFact fact, RecipientRecord state) {
        try {
            DiagnosisReport report = diagnosis.diagnose(new DiagnosisInput(fact, null, history.of(fact, state, event.symptom, event.id)));
            Diagnosis primary = report.primary();
            RecipientVerdict verdict = report.verdict();
            event.diagnosed = true;
            event.diagnosisError = null;
            event.reason = primary.reason();
            event.category = primary.category();
            event.retry = primary.retry();
            event.suppress = primary.suppress();
            event.flagged = verdict.getFlagged();
            event.failure = verdict.getFailure();
            // Filed under what the reported status means ("open" is opened), unless a rule logs it otherwise (dropped).
            event.status = verdict.getLogStatus() != null ? verdict.getLogStatus()
                    : report.eventStatus() != null ? report.eventStatus() : event.reportedStatus;
            event.ruleSetVersion = report.ruleSet().version();
            event.diagnosis = json.write(new StoredDiagnosis(report.diagnoses(), report.rulesFired(), event.ruleSetVersion));
            return report;
        } catch (RuleSetDefectException | DiagnosisService.NoRuleSetException | JsonProcessingException e) {
            // The full cause is kept with the event (diagnosisError); the log gets the domain and the fault, not the mail.
            LOG.errorf("event=maillog.undiagnosed recipient=%s cause=\"%s\"", LogMask.address(fact.recipient()), LogMask.cause(e.getMessage(), fact));
            event.diagnosed = false;
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            event.diagnosisError = message.length() > 2000 ? message.substring(0, 2000) : message;
            return null;
        }
    }

    /**
     * The recipient's state after the rules' verdict on a stored event; a recipient seen for the
     * first time gets its row. Returns the state.
     */
    public RecipientRecord apply(DiagnosisReport report, MailEvent event, RecipientRecord state) {
        if (state == null) {
            state = new RecipientRecord();
            state.address = event.recipient;
            recipients.persist(state);
        }
        RecipientVerdict verdict = report.verdict();
        boolean decides = verdict.getFlagged() != null || verdict.getFailure() != null || verdict.isSuppress();
        // State follows when events happened, not when they arrived: a late event older than the one that last changed
        // the state (a delivery reported after a newer bounce) is logged with its diagnosis and changes nothing.
        if (decides && state.decidedAt != null && event.occurredAt.isBefore(state.decidedAt)) {
            LOG.debugf("event=maillog.superseded recipient=%s", LogMask.address(event.recipient));
        } else if (decides) {
            if (verdict.getFlagged() != null) {
                state.flaggedInvalid = verdict.getFlagged();
            }
            if (verdict.getFailure() != null) {
                state.consecutiveFailures = verdict.getFailure() ? state.consecutiveFailures + 1 : 0;
            }
            if (verdict.isSuppress() && !state.suppressed) {
                state.suppressed = true;
                state.suppressedReason = verdict.getSuppressReason();
                state.suppressedSince = event.receivedAt;
                state.suppressedBy = verdict.getSuppressedBy();
            }
            state.decidedAt = event.occurredAt;
        }
        // The recipient's latest event is the newest by time, whatever it was (an open, a hand-off).
        if (state.lastEventAt == null || !event.occurredAt.isBefore(state.lastEventAt)) {
            state.lastEventId = event.id;
            state.lastEventAt = event.occurredAt;
            state.lastStatus = event.status;
            state.lastReason = event.reason;
            state.lastCategory = event.category;
        }
        return state;
    }
}
