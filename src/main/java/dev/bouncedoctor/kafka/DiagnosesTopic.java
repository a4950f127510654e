package dev.bouncedoctor.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.IngestResult;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The output topic (channel {@code diagnoses-out}, on when KAFKA_DIAGNOSES_TOPIC is set): each event taken from the
 * input topic, as stored, with its diagnosis and its recipient's state, keyed by recipient. Written, and acknowledged
 * by the broker, before the input record is acknowledged, so a result is never lost; a record read twice publishes its
 * (unchanged) result twice, which readers recognise by {@code event.id}. The header {@code bd-created} says whether this
 * was the event's first storing. Called only when the channel is on (see KafkaEventsConsumer).
 */
@ApplicationScoped
public class DiagnosesTopic {

    /** The broker did not take the result; the input record is tried again, as in a database outage. */
    static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super("the diagnoses topic did not take the result: " + cause.getMessage(), cause);
        }
    }

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public DiagnosesTopic(@Channel("diagnoses-out") MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    void publish(IngestResult result) {
        String value;
        try {
            value = json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add("bd-created", Boolean.toString(result.created()).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(result.event().recipient()).withHeaders(headers).build();
        try {
            emitter.sendMessageAndAwait(Message.of(value).addMetadata(metadata));
        } catch (RuntimeException e) {
            throw new Unavailable(e);
        }
    }
}
