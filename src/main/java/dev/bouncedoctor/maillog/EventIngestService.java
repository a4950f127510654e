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

    private IngestResult ingestValid(EventRequest request, DeliveryFact normalised) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant at = normalised.occurredAt() != null ? normalised.occurredAt().truncatedTo(ChronoUnit.MICROS) : now;
        DeliveryFact fact = new DeliveryFact(normalised.recipient(), normalised.sender(), normalised.provider(), normalised.status(),
                normalised.smtpCode(), normalised.enhancedCode(), normalised.message(), normalised.errorCode(), at);
        return Transactions.inNewRetryingConflicts(() -> store(request, fact, now));
    }

    private IngestResult store(EventRequest request, DeliveryFact fact, Instant now) {
        if (request.eventId() != null) {
            Optional<MailEvent> seen = events.byEventId(request.eventId());
            if (seen.isPresent()) {
                MailEvent first = seen.get();
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
