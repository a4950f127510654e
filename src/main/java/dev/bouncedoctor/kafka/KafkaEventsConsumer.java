package dev.bouncedoctor.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.EventIngestService;
import dev.bouncedoctor.maillog.EventRequest;
import dev.bouncedoctor.maillog.IngestResult;
import dev.bouncedoctor.maillog.MailLogExceptions;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.model.LogMask;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Events from the Kafka topic (channel {@code events-in}): the same JSON and the same {@link EventIngestService} as
 * POST /v1/events, one record at a time, so that the records of a partition, and with them one recipient's events, are
 * stored in order. A record is acknowledged only after its event was committed (or dead-lettered), and its offset is
 * committed only after that; a record seen again after a restart or a rebalance is found by its eventId and not stored
 * twice.
 *
 * <p>What can never be stored (not JSON, invalid fields, no eventId, an eventId reused for another event) is nacked and
 * goes to the dead-letter topic with the reason. An outage of the database is not the record's fault: the record is
 * tried again, with growing pauses, until the database is back, and stays unacknowledged meanwhile; nothing behind it
 * on its partition overtakes it.
 */
@ApplicationScoped
public class KafkaEventsConsumer {

    private static final Logger LOG = Logger.getLogger(KafkaEventsConsumer.class);
    /** The header naming, in the dead-letter topic, what kind of problem the record had (as the HTTP problem types). */
    static final String PROBLEM_TYPE_HEADER = "bd-problem-type";
    /** Failures that are neither an outage nor the record's known fault: tried this often, then dead-lettered. */
    private static final int ATTEMPTS_ON_UNEXPECTED = 5;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);

    private final EventIngestService ingest;
    private final DiagnosesTopic diagnoses;
    private final ObjectMapper json;
    private final boolean publishing;
    private final Duration longestPause;
    private volatile boolean stopping;

    /**
     * {@code diagnoses} is a client proxy of an application-scoped bean: it is created on its first call only. With the
     * output channel off its emitter has no channel to connect to and cannot be created, so it is never called then.
     */
    public KafkaEventsConsumer(EventIngestService ingest, DiagnosesTopic diagnoses, ObjectMapper json,
                               @ConfigProperty(name = "bd.kafka.diagnoses.enabled", defaultValue = "false") boolean publishing,
                               @ConfigProperty(name = "maillog.retry-after-seconds", defaultValue = "5") int retryAfterSeconds) {
        this.ingest = ingest;
        this.diagnoses = diagnoses;
        this.publishing = publishing;
        this.json = json;
        this.longestPause = Duration.ofSeconds(Math.max(1, retryAfterSeconds));
    }

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Incoming("events-in")
    @Blocking
    public CompletionStage<Void> consume(Message<String> record) {
        EventRequest event;
        try {
            event = read(record.getPayload());
        } catch (InvalidFactException e) {
            return deadLetter(record, "invalid-fact", e);
        }
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                IngestResult result = ingest.ingest(event);
                if (publishing) {
                    diagnoses.publish(result);
                }
                return record.ack();
            } catch (InvalidFactException e) {
                return deadLetter(record, "invalid-fact", e);
            } catch (MailLogExceptions.EventIdReused e) {
                return deadLetter(record, "event-id-reused", e);
            } catch (MailLogExceptions.StorageUnavailable | DiagnosesTopic.Unavailable e) {
                // Not the record's fault: it waits, unacknowledged, for as long as the outage lasts.
                if (attempt == 1) {
                    LOG.warnf("event=kafka.held %s cause=\"%s\"", where(record), LogMask.cause(String.valueOf(e.getMessage())));
                }
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS_ON_UNEXPECTED) {
                    LOG.errorf("event=kafka.failed %s error=%s cause=\"%s\"", where(record), e.getClass().getName(), LogMask.cause(String.valueOf(e.getMessage())));
                    return deadLetter(record, "internal", e);
                }
            }
            if (stopping || !pause(pause)) {
                // Left unacknowledged: its offset is not committed, and the consumer that takes the partition over
                // (this one after a restart, or another replica) reads it again.
                return CompletableFuture.completedFuture(null);
            }
            pause = pause.multipliedBy(2).compareTo(longestPause) > 0 ? longestPause : pause.multipliedBy(2);
        }
    }

    /** The record's value as an event; a value that is not one is the record's fault, named like a field error. */
    private EventRequest read(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidFactException(List.of(new FieldError("value", "send one event as a JSON object, as the body of POST /v1/events")));
        }
        EventRequest event;
        try {
            event = json.readValue(value, EventRequest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidFactException(List.of(new FieldError("value", "not an event as JSON: " + e.getOriginalMessage())));
        }
        // Without an eventId a record read twice (after a restart, a rebalance) would be stored twice.
        if (event != null && event.eventId() == null) {
            throw new InvalidFactException(List.of(new FieldError("eventId", "required on the Kafka topic: records may be read more than once, and the eventId keeps them stored once")));
        }
        return event;
    }

    private static CompletionStage<Void> deadLetter(Message<String> record, String problemType, RuntimeException reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(PROBLEM_TYPE_HEADER, ("urn:bounce-doctor:problem:" + problemType).getBytes(StandardCharsets.UTF_8));
        return record.nack(reason, Metadata.of(OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build()));
    }

    private static String where(Message<String> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> "topic=" + m.getTopic() + " partition=" + m.getPartition() + " offset=" + m.getOffset())
                .orElse("");
    }

    private static boolean pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
