package dev.bouncedoctor.maillog;

import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.LogMask;
import dev.bouncedoctor.rules.RuleRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Nothing the rules failed on stays undiagnosed: after every rule-set change, the events stored
 * without a diagnosis get one, oldest first, each in its own transaction.
 */
@ApplicationScoped
public class RediagnosisJob {

    private static final Logger LOG = Logger.getLogger(RediagnosisJob.class);

    private final MailEventRepository events;
    private final RecipientRepository recipients;
    private final EventDiagnoser diagnoser;
    private final RuleRegistry registry;
    private final Normaliser normaliser = new Normaliser();
    /** The rule-set version the undiagnosed events were last tried with. */
    private volatile String rediagnosedFor;

    public RediagnosisJob(MailEventRepository events, RecipientRepository recipients, EventDiagnoser diagnoser, RuleRegistry registry) {
        this.events = events;
        this.recipients = recipients;
        this.diagnoser = diagnoser;
        this.registry = registry;
    }

    /** Checks for a new rule set every few seconds; a failed run is tried again on the next tick. */
    @Scheduled(every = "${maillog.rediagnose-interval:5s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void afterReload() {
        String version = registry.current().map(r -> r.version()).orElse(null);
        if (version == null || version.equals(rediagnosedFor)) {
            return;
        }
        try {
            int done = rediagnoseUndiagnosed();
            rediagnosedFor = version;
            if (done > 0) {
                LOG.infof("event=maillog.rediagnosed events=%d version=%s", done, version);
            }
        } catch (RuntimeException e) {
            LOG.warnf("event=maillog.rediagnose outcome=failed cause=\"%s\"", LogMask.cause(e.getMessage()));
        }
    }

    /** Diagnoses the stored undiagnosed events now; returns how many got a diagnosis. */
    public int rediagnoseUndiagnosed() {
        List<Long> ids = Transactions.inNew(events::undiagnosedIds);
        int done = 0;
        for (Long id : ids) {
            done += Transactions.inNew(() -> rediagnose(id)) ? 1 : 0;
        }
        return done;
    }

    private boolean rediagnose(Long id) {
        MailEvent event = events.findById(id);
        if (event == null || event.diagnosed) {
            return false;
        }
        RecipientRecord state = recipients.lockedForUpdate(event.recipient);
        // From the stored columns: normalised again, as a fact that arrives is.
        DiagnosisReport report = diagnoser.diagnose(event, normaliser.normalise(event.reportedFact()), state);
        if (report == null) {
            return false;
        }
        diagnoser.apply(report, event, state);
        return true;
    }
}
