package dev.bouncedoctor.maillog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.model.Attempt;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.RecipientHistory;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.model.LogMask;
import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.model.RecipientState;
import dev.bouncedoctor.model.RecipientVerdict;
import dev.bouncedoctor.model.ReportedSymptom;
import dev.bouncedoctor.engine.RuleSetDefectException;
import dev.bouncedoctor.model.SenderFlag;
import dev.bouncedoctor.maillog.MailLogExceptions.NotFound;
import dev.bouncedoctor.maillog.MailLogExceptions.StorageUnavailable;
import dev.bouncedoctor.maillog.Views.EventDetail;
import dev.bouncedoctor.maillog.Views.EventView;
import dev.bouncedoctor.maillog.Views.IngestResult;
import dev.bouncedoctor.maillog.Views.PageView;
import dev.bouncedoctor.maillog.Views.RecipientDetail;
import dev.bouncedoctor.maillog.Views.RecipientView;
import dev.bouncedoctor.maillog.Views.SenderReport;
import dev.bouncedoctor.maillog.Views.StoredDiagnosis;
import dev.bouncedoctor.rules.RuleRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.jboss.logging.Logger;

/**
 * The mail log: stores events with their diagnosis, and applies to each recipient what the symptom
 * rules decided. It loads the history the rules need and applies their verdict; it decides nothing.
 */
@ApplicationScoped
public class MailLogService {

    private static final Logger LOG = Logger.getLogger(MailLogService.class);
    private static final Pattern SYMPTOM = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");
    private static final int MAX_PAGE_SIZE = 500;
    private static final int ATTEMPTS_ON_CONFLICT = 5;

    private final MailLogDatabase db;
    private final DiagnosisService diagnosis;
    private final RuleRegistry registry;
    private final ObjectMapper json;
    private final Normaliser normaliser = new Normaliser();
    private final int historyAttempts;
    private final Duration senderWindow;
    private final int senderFlagsLimit;
    private volatile String rediagnosedFor;

    public MailLogService(MailLogDatabase db, DiagnosisService diagnosis, RuleRegistry registry, ObjectMapper json,
                          @ConfigProperty(name = "maillog.history.attempts", defaultValue = "50") int historyAttempts,
                          @ConfigProperty(name = "maillog.history.sender-window", defaultValue = "P7D") Duration senderWindow,
                          @ConfigProperty(name = "maillog.history.sender-flags", defaultValue = "2000") int senderFlagsLimit) {
        this.db = db;
        this.diagnosis = diagnosis;
        this.registry = registry;
        this.json = json;
        this.historyAttempts = historyAttempts;
        this.senderWindow = senderWindow;
        this.senderFlagsLimit = senderFlagsLimit;
    }

    // ---- ingesting ------------------------------------------------------------------------------

    /** Checks an event and returns its normalised fact; names every field to fix. */
    public DeliveryFact validate(EventRequest request) {
        if (request == null) {
            throw new InvalidFactException(List.of(new FieldError("body", "send one event as a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        DeliveryFact fact = null;
        try {
            fact = normaliser.normalise(request.fact());
        } catch (InvalidFactException e) {
            errors.addAll(e.errors());
        }
        if (request.recipient() == null || request.recipient().isBlank()) {
            errors.add(new FieldError("recipient", "required: the address the message was sent to"));
        }
        if (request.eventId() != null && (request.eventId().isBlank() || request.eventId().length() > 200)) {
            errors.add(new FieldError("eventId", "give the provider's event id as 1 to 200 characters, or leave it out"));
        }
        if (request.symptom() != null && !SYMPTOM.matcher(request.symptom()).matches()) {
            errors.add(new FieldError("symptom", "a lower-case word with dashes, e.g. \"flagged-but-delivered\""));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        return fact;
    }

    /** Stores one event (once per eventId), diagnosed with the current rules, and updates its recipient. */
    public IngestResult ingest(EventRequest request) {
        DeliveryFact fact = validate(request);
        return ingestValid(request, fact);
    }

    /** A bulk load: every event is checked first, then each is stored on its own, in order. */
    public List<IngestResult> ingestAll(List<EventRequest> requests) {
        List<FieldError> errors = new ArrayList<>();
        List<DeliveryFact> facts = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try {
                facts.add(validate(requests.get(i)));
            } catch (InvalidFactException e) {
                errors.addAll(e.prefixed("[" + i + "].").errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        List<IngestResult> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            results.add(ingestValid(requests.get(i), facts.get(i)));
        }
        return results;
    }

    private IngestResult ingestValid(EventRequest request, DeliveryFact normalised) {
        Instant now = now();
        DeliveryFact fact = normalised.occurredAt() != null ? withTime(normalised, normalised.occurredAt().truncatedTo(ChronoUnit.MICROS))
                : withTime(normalised, now);
        // Two requests may race for the same eventId or a new recipient's row: the loser retries and then sees the winner's row.
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(() -> store(request, fact, now));
            } catch (Conflict e) {
                if (attempt >= ATTEMPTS_ON_CONFLICT) {
                    throw new StorageUnavailable(e);
                }
            }
        }
    }

    private IngestResult store(EventRequest request, DeliveryFact fact, Instant now) {
        Session s = db.session();
        if (request.eventId() != null) {
            MailEvent seen = s.createSelectionQuery("from MailEvent where eventId = :id", MailEvent.class)
                    .setParameter("id", request.eventId()).uniqueResult();
            if (seen != null) {
                return new IngestResult(false, EventView.of(seen), storedDiagnosis(seen), RecipientView.of(s.find(RecipientRecord.class, seen.recipient)));
            }
        }
        RecipientRecord state = s.find(RecipientRecord.class, fact.recipient(), LockModeType.PESSIMISTIC_WRITE);
        MailEvent event = new MailEvent();
        event.eventId = request.eventId();
        event.recipient = fact.recipient();
        event.sender = fact.sender();
        event.provider = fact.provider();
        event.status = fact.status();
        event.reportedStatus = fact.status();
        event.smtpCode = fact.smtpCode();
        event.enhancedCode = fact.enhancedCode();
        event.message = fact.message();
        event.errorCode = fact.errorCode();
        event.symptom = request.symptom();
        event.occurredAt = fact.occurredAt();
        event.receivedAt = now;
        DiagnosisReport report = diagnose(s, event, fact, state);
        s.persist(event);
        s.flush();
        if (report != null) {
            if (state == null) {
                state = new RecipientRecord();
                state.address = fact.recipient();
                s.persist(state);
            }
            apply(report, event, state);
            s.flush();
        }
        return new IngestResult(true, EventView.of(event), report == null ? null : StoredDiagnosis.of(report), RecipientView.of(state));
    }

    /** Runs the rules with the recipient's and sender's history; a failing rule set leaves the event undiagnosed, not lost. */
    private DiagnosisReport diagnose(Session s, MailEvent event, DeliveryFact fact, RecipientRecord state) {
        try {
            DiagnosisReport report = diagnosis.diagnose(new DiagnosisInput(fact, null, history(s, fact, state, event.symptom, event.id)));
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
            event.status = verdict.getLogStatus() != null ? verdict.getLogStatus() : event.reportedStatus;
            event.ruleSetVersion = report.ruleSet().version();
            event.diagnosis = json.writeValueAsString(new StoredDiagnosis(report.diagnoses(), report.rulesFired(), event.ruleSetVersion));
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

    /** The recipient's state after the rules' verdict: mechanical, the rules decided. */
    private static void apply(DiagnosisReport report, MailEvent event, RecipientRecord state) {
        RecipientVerdict verdict = report.verdict();
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
        }
        state.lastEventId = event.id;
        state.lastEventAt = event.occurredAt;
        state.lastStatus = event.status;
        state.lastReason = event.reason;
        state.lastCategory = event.category;
    }

    /** What the symptom rules reason over: this recipient's state and attempts, the sender's flagged recipients. */
    private RecipientHistory history(Session s, DeliveryFact fact, RecipientRecord state, String symptom, Long excludeEvent) {
        RecipientState recipient = state == null ? RecipientState.fresh(fact.recipient())
                : new RecipientState(state.address, state.flaggedInvalid, state.suppressed, state.suppressedReason, state.suppressedSince,
                        state.consecutiveFailures, state.removedAt, state.removedBy);
        List<MailEvent> earlier = s.createSelectionQuery(
                        "from MailEvent where recipient = :r and diagnosed = true and id <> :x order by occurredAt desc, id desc", MailEvent.class)
                .setParameter("r", fact.recipient()).setParameter("x", excludeEvent == null ? -1L : excludeEvent).setMaxResults(historyAttempts).getResultList();
        List<Attempt> attempts = new ArrayList<>(earlier.size());
        for (int i = 0; i < earlier.size(); i++) {
            MailEvent e = earlier.get(i);
            attempts.add(new Attempt(i, e.occurredAt, e.status, e.reason, e.category, Boolean.TRUE.equals(e.failure)));
        }
        return new RecipientHistory(recipient, attempts, senderFlags(s, fact.sender(), fact.recipient(), fact.occurredAt()),
                symptom == null ? null : new ReportedSymptom(symptom));
    }

    /** Recipients of the sender that are flagged now, each with its latest flagging event within the history window. */
    private List<SenderFlag> senderFlags(Session s, String sender, String except, Instant at) {
        if (sender == null) {
            return List.of();
        }
        List<Object[]> rows = s.createSelectionQuery(
                        "select e.recipient, e.reason, e.occurredAt from MailEvent e, RecipientRecord r "
                                + "where r.address = e.recipient and r.flaggedInvalid = true and e.sender = :s and e.flagged = true "
                                + "and e.occurredAt >= :since and e.occurredAt <= :at and e.recipient <> :me order by e.occurredAt desc", Object[].class)
                .setParameter("s", sender).setParameter("since", at.minus(senderWindow)).setParameter("at", at)
                .setParameter("me", except == null ? "" : except).setMaxResults(senderFlagsLimit).getResultList();
        Map<String, SenderFlag> latest = new LinkedHashMap<>();
        for (Object[] row : rows) {
            latest.putIfAbsent((String) row[0], new SenderFlag((String) row[0], (String) row[1], (Instant) row[2]));
        }
        return List.copyOf(latest.values());
    }

    // ---- re-diagnosing what the rules could not diagnose -----------------------------------------

    /** After every rule-set change, events stored undiagnosed get their diagnosis (oldest first). */
    @Scheduled(every = "${maillog.rediagnose-interval:5s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rediagnoseAfterReload() {
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
        List<Long> ids = inTransaction(() -> db.session()
                .createSelectionQuery("select id from MailEvent where diagnosed = false order by id", Long.class).getResultList());
        int done = 0;
        for (Long id : ids) {
            boolean ok = inTransaction(() -> {
                Session s = db.session();
                MailEvent event = s.find(MailEvent.class, id);
                if (event == null || event.diagnosed) {
                    return false;
                }
                RecipientRecord state = s.find(RecipientRecord.class, event.recipient, LockModeType.PESSIMISTIC_WRITE);
                // From the stored columns: normalised again, as a fact that arrives is.
                DeliveryFact fact = normaliser.normalise(new DeliveryFact(event.recipient, event.sender, event.provider, event.reportedStatus,
                        event.smtpCode, event.enhancedCode, event.message, event.errorCode, event.occurredAt));
                DiagnosisReport report = diagnose(s, event, fact, state);
                if (report == null) {
                    return false;
                }
                if (state == null) {
                    state = new RecipientRecord();
                    state.address = event.recipient;
                    s.persist(state);
                }
                apply(report, event, state);
                return true;
            });
            done += ok ? 1 : 0;
        }
        return done;
    }

    // ---- reading ----------------------------------------------------------------------------------

    public record EventFilter(String recipient, String sender, String status, Boolean undelivered, String from, String to,
                              Integer page, Integer size) {
    }

    /** The mail log, newest first, filtered and paged. */
    public PageView<EventView> events(EventFilter f) {
        List<FieldError> errors = new ArrayList<>();
        String recipient = f.recipient() == null ? null : addressOrError(f.recipient(), "recipient", errors);
        String sender = f.sender() == null ? null : addressOrError(f.sender(), "sender", errors);
        Instant from = instant(f.from(), "from", errors);
        Instant to = instant(f.to(), "to", errors);
        int page = page(f.page(), errors);
        int size = size(f.size(), errors);
        if (from != null && to != null && from.isAfter(to)) {
            errors.add(new FieldError("from", "is after 'to'; give from <= to"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        StringBuilder where = new StringBuilder("where 1 = 1");
        Map<String, Object> params = new TreeMap<>();
        String status = f.status() == null || f.status().isBlank() ? null : f.status().trim().toLowerCase(java.util.Locale.ROOT);
        filter(where, params, "recipient = :recipient", "recipient", recipient);
        filter(where, params, "sender = :sender", "sender", sender);
        filter(where, params, "status = :status", "status", status);
        if (Boolean.TRUE.equals(f.undelivered())) {
            // The mail log's "show only undelivered": everything that was not delivered and is not waiting to be sent.
            where.append(" and (status is null or status not in ('delivered', 'pending'))");
        }
        filter(where, params, "occurredAt >= :from", "from", from);
        filter(where, params, "occurredAt <= :to", "to", to);
        return inTransaction(() -> {
            Session s = db.session();
            var count = s.createSelectionQuery("select count(*) from MailEvent " + where, Long.class);
            var list = s.createSelectionQuery("from MailEvent " + where + " order by occurredAt desc, id desc", MailEvent.class);
            params.forEach((k, v) -> {
                count.setParameter(k, v);
                list.setParameter(k, v);
            });
            long total = count.getSingleResult();
            List<EventView> items = list.setFirstResult(page * size).setMaxResults(size).getResultList().stream().map(EventView::of).toList();
            return new PageView<>(items, page, size, total);
        });
    }

    /** Adds {@code and condition} with its parameter when the filter was given. */
    private static void filter(StringBuilder where, Map<String, Object> params, String condition, String name, Object value) {
        if (value != null) {
            where.append(" and ").append(condition);
            params.put(name, value);
        }
    }

    public EventDetail event(long id) {
        return inTransaction(() -> {
            MailEvent e = db.session().find(MailEvent.class, id);
            if (e == null) {
                throw new NotFound("there is no event " + id + " in the mail log");
            }
            return new EventDetail(EventView.of(e), storedDiagnosis(e));
        });
    }

    public RecipientDetail recipient(String rawAddress) {
        String address = normaliser.address(rawAddress, "address");
        return inTransaction(() -> {
            Session s = db.session();
            RecipientRecord r = s.find(RecipientRecord.class, address);
            if (r == null) {
                throw new NotFound("the mail log has no event for " + address);
            }
            List<EventView> recent = s.createSelectionQuery("from MailEvent where recipient = :r order by occurredAt desc, id desc", MailEvent.class)
                    .setParameter("r", address).setMaxResults(20).getResultList().stream().map(EventView::of).toList();
            return new RecipientDetail(RecipientView.of(r), recent);
        });
    }

    /** The bounce list, most recently listed first. */
    public PageView<RecipientView> suppressions(String reason, Integer pageParam, Integer sizeParam) {
        List<FieldError> errors = new ArrayList<>();
        int page = page(pageParam, errors);
        int size = size(sizeParam, errors);
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        String where = "where suppressed = true" + (reason == null || reason.isBlank() ? "" : " and suppressedReason = :reason");
        return inTransaction(() -> {
            Session s = db.session();
            var count = s.createSelectionQuery("select count(*) from RecipientRecord " + where, Long.class);
            var list = s.createSelectionQuery("from RecipientRecord " + where + " order by suppressedSince desc, address", RecipientRecord.class);
            if (where.contains(":reason")) {
                count.setParameter("reason", reason.trim());
                list.setParameter("reason", reason.trim());
            }
            long total = count.getSingleResult();
            List<RecipientView> items = list.setFirstResult(page * size).setMaxResults(size).getResultList().stream().map(RecipientView::of).toList();
            return new PageView<>(items, page, size, total);
        });
    }

    /** "Mark email address as valid": off the bounce list, recording who did it and when. */
    public RecipientView removeSuppression(String rawAddress, String operator) {
        List<FieldError> errors = new ArrayList<>();
        String address = addressOrError(rawAddress, "address", errors);
        if (operator == null || operator.isBlank() || operator.length() > 200) {
            errors.add(new FieldError("operator", "the caller's name (the API key's name or the token's user) must be 1 to 200 characters to be recorded"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        return inTransaction(() -> {
            Session s = db.session();
            RecipientRecord r = s.find(RecipientRecord.class, address, LockModeType.PESSIMISTIC_WRITE);
            if (r == null || !r.suppressed) {
                throw new NotFound(address + " is not on the bounce list");
            }
            SuppressionRemoval audit = new SuppressionRemoval();
            audit.address = address;
            audit.operator = operator.trim();
            audit.removedAt = now();
            audit.listedReason = r.suppressedReason;
            audit.listedSince = r.suppressedSince;
            s.persist(audit);
            r.suppressed = false;
            r.suppressedReason = null;
            r.suppressedSince = null;
            r.removedAt = audit.removedAt;
            r.removedBy = audit.operator;
            return RecipientView.of(r);
        });
    }

    /** The rules' view of a sender: its latest failed event (else its latest) against the current history. */
    public SenderReport sender(String rawSender) {
        String sender = normaliser.address(rawSender, "sender");
        return inTransaction(() -> {
            Session s = db.session();
            MailEvent latest = s.createSelectionQuery(
                            "from MailEvent where sender = :s and diagnosed = true order by (case when flagged = true then 0 else 1 end), occurredAt desc, id desc", MailEvent.class)
                    .setParameter("s", sender).setMaxResults(1).uniqueResult();
            if (latest == null) {
                throw new NotFound("the mail log has no diagnosed event from " + sender);
            }
            DeliveryFact fact = new DeliveryFact(latest.recipient, latest.sender, latest.provider, latest.reportedStatus, latest.smtpCode,
                    latest.enhancedCode, latest.message, latest.errorCode, latest.occurredAt);
            RecipientRecord state = s.find(RecipientRecord.class, latest.recipient);
            // The recipient as it was before this event: the event is the evidence, not part of the history.
            RecipientRecord before = state == null ? null : priorTo(state, latest);
            // From the stored columns: normalised again, as a fact that arrives is.
            DeliveryFact normalised = normaliser.normalise(fact);
            RecipientHistory history = history(s, normalised, before, latest.symptom, latest.id);
            DiagnosisReport report = diagnosis.diagnose(new DiagnosisInput(normalised, null, history));
            List<SenderFlag> flags = history.senderFlags();
            Map<String, Long> byReason = new TreeMap<>();
            boolean latestFlagged = Boolean.TRUE.equals(latest.flagged) && state != null && state.flaggedInvalid;
            if (latestFlagged) {
                byReason.merge(String.valueOf(latest.reason), 1L, Long::sum);
            }
            flags.forEach(f -> byReason.merge(String.valueOf(f.reason()), 1L, Long::sum));
            return new SenderReport(sender, flags.size() + (latestFlagged ? 1 : 0), byReason, latest.id, report.diagnoses(), report.rulesFired(), report.ruleSet());
        });
    }

    /** The state minus the run of failures this event added, so the rules see it as when the event arrived. */
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

    // ---- plumbing ---------------------------------------------------------------------------------

    private StoredDiagnosis storedDiagnosis(MailEvent e) {
        if (e.diagnosis == null) {
            return null;
        }
        try {
            return json.readValue(e.diagnosis, StoredDiagnosis.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored diagnosis of event " + e.id + " is not readable", ex);
        }
    }

    /** Runs work in its own transaction; an unreachable database becomes StorageUnavailable, a lost race a Conflict. */
    private <T> T inTransaction(Callable<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work);
        } catch (RuntimeException e) {
            if (isConflict(e)) {
                throw new Conflict(e);
            }
            if (isOutage(e)) {
                throw new StorageUnavailable(e);
            }
            throw e;
        }
    }

    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException || t instanceof LockAcquisitionException
                    || t instanceof jakarta.persistence.EntityExistsException) {
                return true;
            }
        }
        return false;
    }

    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailable) {
                return false;
            }
            if (t instanceof JDBCConnectionException || t instanceof SQLTransientException || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P") || sql.getSQLState().startsWith("53"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A concurrent request won a race for the same row; the work is retried. */
    static final class Conflict extends RuntimeException {
        Conflict(Throwable cause) {
            super(cause);
        }
    }

    private String addressOrError(String raw, String field, List<FieldError> errors) {
        try {
            return normaliser.address(raw, field);
        } catch (InvalidFactException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    private static Instant instant(String raw, String field, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + raw + "' is not an ISO-8601 instant such as 2026-11-20T10:00:00Z"));
            return null;
        }
    }

    private static int page(Integer page, List<FieldError> errors) {
        if (page == null) {
            return 0;
        }
        if (page < 0) {
            errors.add(new FieldError("page", "pages count from 0; got " + page));
        }
        return Math.max(page, 0);
    }

    private static int size(Integer size, List<FieldError> errors) {
        if (size == null) {
            return 50;
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            errors.add(new FieldError("size", "give a page size from 1 to " + MAX_PAGE_SIZE + "; got " + size));
            return 50;
        }
        return size;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static DeliveryFact withTime(DeliveryFact f, Instant at) {
        return new DeliveryFact(f.recipient(), f.sender(), f.provider(), f.status(), f.smtpCode(), f.enhancedCode(), f.message(), f.errorCode(), at);
    }
}
