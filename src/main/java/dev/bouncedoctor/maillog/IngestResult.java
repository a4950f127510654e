package dev.bouncedoctor.maillog;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** The answer to one ingested event; {@code created} is false when the eventId was seen before. */
public record IngestResult(@JsonIgnore boolean created, EventView event, StoredDiagnosis diagnosis, RecipientView recipient) {
}
