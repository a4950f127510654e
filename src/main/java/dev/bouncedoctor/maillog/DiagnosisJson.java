package dev.bouncedoctor.maillog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

/** An event's diagnosis as the mail log keeps it: {@link StoredDiagnosis} as JSON in {@link MailEvent#diagnosis}. */
@ApplicationScoped
public class DiagnosisJson {

    private final ObjectMapper json;

    public DiagnosisJson(ObjectMapper json) {
        this.json = json;
    }

    String write(StoredDiagnosis diagnosis) throws JsonProcessingException {
        return json.writeValueAsString(diagnosis);
    }

    /** The event's stored diagnosis; null while it has none. */
    StoredDiagnosis read(MailEvent e) {
        if (e.diagnosis == null) {
            return null;
        }
        try {
            return json.readValue(e.diagnosis, StoredDiagnosis.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored diagnosis of event " + e.id + " is not readable", ex);
        }
    }
}
