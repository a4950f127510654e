package dev.bouncedoctor.maillog;

import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * POST /v1/events: checks an event, stores it once per eventId, has it diagnosed with the current
 * rules and their verdict applied to the recipient, all in one transaction committed before the answer.
 */
@ApplicationScoped
public class EventIngestService {

    private static final Pattern SYMPTOM = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

    private final MailEventRepository events;
    private final RecipientRepository recipients;
    private final EventDiagnoser diagnoser;
    private final DiagnosisJson json;
    private final Normaliser normaliser = new Normaliser();

    public EventIngestService(MailEventRepository events, RecipientRepository recipients, EventDiagnoser diagnoser, DiagnosisJson json) {
        this.events = events;
        this.recipients = recipients;
        this.diagnoser = diagnoser;
        this.json = json;
    }

    /** Stores one event (once per eventId), diagnosed with the current rules, and updates its recipient. */
    public IngestResult ingest(EventRequest request) {
        return ingestValid(request, validate(request));
    }

    /**
     * A bulk load, all or nothing: every event is checked first, then all are stored in order in one transaction, so
     * that an answer other than 200 means nothing of the batch was stored and the whole request can be sent again.
     */
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
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Transactions.inNewRetryingConflicts(() -> {
            List<IngestResult> results = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                try {
                    results.add(store(requests.get(i), stamped(facts.get(i), now), now));
                    // Each result holds copies; the stored rows need no watching. Without this every later flush and
                    // query dirty-checks all rows stored before it in this transaction: a batch would cost O(n²).
                    events.getEntityManager().clear();
                } catch (MailLogExceptions.EventIdReused e) {
                    throw e.at(i);
                } catch (InvalidFactException e) {
                    // A status the rules do not know is found while diagnosing: named at its place in the batch.
                    throw e.prefixed("[" + i + "].");
                }
            }
            return results;
        });
    }

    /** Checks an event and returns its normalised fact; names every field to fix. */
    DeliveryFact validate(EventRequest request) {
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
        if (request.eventId() != null && (request.eventId().isBlank() || request.eventId().length() > 200 || Normaliser.hasControl(request.eventId()))) {
            errors.add(new FieldError("eventId", "give the provider's event id as 1 to 200 characters without control characters, or leave it out"));
        }
        if (request.symptom() != null && !SYMPTOM.matcher(request.symptom()).matches()) {
            errors.add(new FieldError("symptom", "a lower-case word with dashes, e.g. \"flagged-but-delivered\""));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        return fact;
    }

    private IngestResult ingestValid(EventRequest request, DeliveryFact normalised) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DeliveryFact fact = stamped(normalised, now);
        return Transactions.inNewRetryingConflicts(() -> store(request, fact, now));
    }

    /** The fact as stored: at the time it happened (to the microsecond, as the database keeps it), or when it arrived. */
    private static DeliveryFact stamped(DeliveryFact normalised, Instant now) {
        Instant at = normalised.occurredAt() != null ? normalised.occurredAt().truncatedTo(ChronoUnit.MICROS) : now;
        return new DeliveryFact(normalised.recipient(), normalised.sender(), normalised.provider(), normalised.status(),
                normalised.smtpCode(), normalised.enhancedCode(), normalised.message(), normalised.errorCode(), at);
    }

    /**
     * The fields in which a request differs from the event first logged under its eventId, both as normalised. A request
     * without occurredAt was stamped when it arrived, so its time is not compared.
     */
    private static List<String> differences(MailEvent first, EventRequest request, DeliveryFact fact) {
        List<String> differing = new ArrayList<>();
        compare(differing, "recipient", first.recipient, fact.recipient());
        compare(differing, "sender", first.sender, fact.sender());
        compare(differing, "provider", first.provider, fact.provider());
        compare(differing, "status", first.reportedStatus, fact.status());
        compare(differing, "smtpCode", first.smtpCode, fact.smtpCode());
        compare(differing, "enhancedCode", first.enhancedCode, fact.enhancedCode());
        compare(differing, "message", first.message, fact.message());
        compare(differing, "errorCode", first.errorCode, fact.errorCode());
        compare(differing, "symptom", first.symptom, request.symptom());
        if (request.occurredAt() != null) {
            compare(differing, "occurredAt", first.occurredAt, fact.occurredAt());
        }
        return differing;
    }

    private static void compare(List<String> differing, String field, Object stored, Object sent) {
        if (!java.util.Objects.equals(stored, sent)) {
            differing.add(field);
        }
    }

    private IngestResult store(EventRequest request, DeliveryFact fact, Instant now) {
        if (request.eventId() != null) {
            Optional<MailEvent> seen = events.byEventId(request.eventId());
            if (seen.isPresent()) {
                MailEvent first = seen.get();
                List<String> differing = differences(first, request, fact);
                if (!differing.isEmpty()) {
                    throw new MailLogExceptions.EventIdReused(request.eventId(), first.id, differing);
                }
                return new IngestResult(false, EventView.of(first), json.read(first), RecipientView.of(recipients.findById(first.recipient)));
            }
        }
        RecipientRecord state = recipients.lockedForUpdate(fact.recipient());
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
        DiagnosisReport report = diagnoser.diagnose(event, fact, state);
        // Flushed at once: a second request with the same eventId fails here, on the unique key, and retries.
        events.persistAndFlush(event);
        if (report != null) {
            state = diagnoser.apply(report, event, state);
            recipients.flush();
        }
        return new IngestResult(true, EventView.of(event), report == null ? null : StoredDiagnosis.of(report), RecipientView.of(state));
    }
}
