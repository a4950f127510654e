package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.EventRequest;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * SparkPost: a JSON array of {@code {"msys":{"<kind>_event":{...}}}}, each event with its own event_id. SparkPost
 * signs nothing; the call proves itself with the basic auth credentials or the token header set on the webhook.
 * The element with an empty msys that SparkPost sends to test a new webhook carries no event.
 */
@Singleton
public class SparkPostWebhook extends SharedSecretWebhook {

    static final String PROVIDER = "sparkpost";

    public SparkPostWebhook(ObjectMapper json, @ConfigProperty(name = "webhooks.sparkpost.username") Optional<String> username,
            @ConfigProperty(name = "webhooks.sparkpost.password") Optional<String> password,
            @ConfigProperty(name = "webhooks.sparkpost.token") Optional<String> token) {
        super(PROVIDER, json, username, password, token, "X-MessageSystems-Webhook-Token");
    }

    @Override
    public List<EventRequest> events(WebhookCall call) {
        JsonNode batch = ProviderJson.read(json, "body", call.bodyText());
        if (!batch.isArray()) {
            throw ProviderJson.invalid("body", "send SparkPost's batch as it posts it: a JSON array of {\"msys\":{...}}");
        }
        List<EventRequest> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode msys = batch.get(i).path("msys");
            if (!msys.isObject()) {
                throw ProviderJson.invalid("[" + i + "].msys", "is missing; every element of SparkPost's batch has one");
            }
            Iterator<Map.Entry<String, JsonNode>> kinds = msys.fields();
            if (!kinds.hasNext()) {
                continue; // the test ping
            }
            JsonNode e = kinds.next().getValue();
            out.add(event("[" + i + "]", e));
        }
        return out;
    }

    private static EventRequest event(String at, JsonNode e) {
        String message = ProviderJson.firstText(e, "raw_reason", "reason");
        String bounceClass = ProviderJson.text(e, "bounce_class");
        if (bounceClass != null && !bounceClass.isBlank()) {
            message = (message == null ? "" : message + "; ") + "bounce class: " + bounceClass;
        }
        return new EventRequest(ProviderJson.eventId(ProviderJson.text(e, "event_id")), ProviderJson.text(e, "rcpt_to"),
                ProviderJson.firstText(e, "friendly_from", "msg_from"), PROVIDER, ProviderJson.text(e, "type"), smtpCode(ProviderJson.text(e, "error_code")),
                null, message, null, ProviderJson.epochSeconds(at + ".timestamp", ProviderJson.text(e, "timestamp")), null);
    }

    /** SparkPost's error_code is the SMTP reply code when there is one; anything else is not one. */
    private static Integer smtpCode(String errorCode) {
        if (errorCode == null || !errorCode.trim().matches("\\d{3}")) {
            return null;
        }
        int code = Integer.parseInt(errorCode.trim());
        return code >= 200 && code <= 599 ? code : null;
    }
}
