package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.EventRequest;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * SendGrid's event webhook: a JSON array of events per call, signed the "signed event webhook" way. SendGrid signs the
 * timestamp header followed by the body's exact bytes with ECDSA P-256 / SHA-256 and sends the DER signature in base64;
 * the account's verification key is the base64 X.509 public key it shows. The signature covers the body, so a replayed
 * call can only repeat events already logged (idempotent on sg_event_id); the timestamp still has to be fresh so that
 * an old captured call is not accepted forever.
 */
@ApplicationScoped
public class SendGridWebhook implements ProviderWebhook {

    static final String NAME = "sendgrid";
    static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
    private static final String EXPECTED = "SendGrid's JSON array of events";
    private static final Logger LOG = Logger.getLogger(SendGridWebhook.class);

    private final PublicKey key;
    private final boolean keyGiven;
    private final Duration maxAge;
    private final ObjectMapper json;

    public SendGridWebhook(@ConfigProperty(name = "webhooks.sendgrid.public-key") Optional<String> publicKey,
                           @ConfigProperty(name = "webhooks.max-age", defaultValue = "5m") Duration maxAge, ObjectMapper json) {
        this.keyGiven = publicKey.filter(k -> !k.isBlank()).isPresent();
        this.key = publicKey.filter(k -> !k.isBlank()).map(SendGridWebhook::decode).orElse(null);
        this.maxAge = maxAge;
        this.json = json;
    }

    /** The verification key, or null (and a line in the log) when the value set is not one: the endpoint stays off. */
    private static PublicKey decode(String base64) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64.strip())));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            LOG.errorf("event=webhook.misconfigured provider=sendgrid why=\"webhooks.sendgrid.public-key is not a base64 X.509 EC public key\"");
            return null;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean configured() {
        return key != null;
    }

    @Override
    public String configHint() {
        return keyGiven
                ? "webhooks.sendgrid.public-key to the signed event webhook's verification key (the value set is not a base64 EC public key)"
                : "webhooks.sendgrid.public-key (WEBHOOKS_SENDGRID_PUBLIC_KEY): the signed event webhook's verification key";
    }

    @Override
    public void verify(WebhookCall call) {
        String signature = call.header(SIGNATURE_HEADER);
        String timestamp = call.header(TIMESTAMP_HEADER);
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            throw refused("no signature: the " + SIGNATURE_HEADER + " and " + TIMESTAMP_HEADER + " headers are required");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            throw refused("the signature is not base64");
        }
        boolean valid;
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initVerify(key);
            ecdsa.update(timestamp.getBytes(StandardCharsets.UTF_8));
            ecdsa.update(call.body());
            valid = ecdsa.verify(der);
        } catch (SignatureException e) {
            // Not a DER ECDSA signature at all.
            valid = false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify SendGrid's SHA256withECDSA signature", e);
        }
        if (!valid) {
            throw refused("the signature does not match the timestamp and body under the configured verification key");
        }
        String stale = ProviderJson.staleness(timestamp, maxAge, Instant.now());
        if (stale != null) {
            throw refused(stale);
        }
    }

    @Override
    public List<EventRequest> events(WebhookCall call) {
        JsonNode root = ProviderJson.parse(json, call, EXPECTED);
        if (!root.isArray()) {
            throw ProviderJson.invalid("body", "is not a JSON array; send " + EXPECTED);
        }
        List<FieldError> errors = new ArrayList<>();
        List<EventRequest> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            String at = "[" + i + "].";
            if (!e.isObject()) {
                errors.add(new FieldError("[" + i + "]", "is not an event object"));
                continue;
            }
            String email = ProviderJson.text(e, "email");
            if (email == null) {
                errors.add(new FieldError(at + "email", "required: the address the message was sent to"));
            }
            String event = ProviderJson.text(e, "event");
            if (event == null) {
                errors.add(new FieldError(at + "event", "required: SendGrid's event name, e.g. \"delivered\" or \"bounce\""));
            }
            Instant occurredAt = null;
            try {
                occurredAt = ProviderJson.epochSeconds(e.get("timestamp"));
            } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException x) {
                errors.add(new FieldError(at + "timestamp", "is not a number of seconds since 1970"));
            }
            if (email == null || event == null) {
                continue;
            }
            events.add(new EventRequest(ProviderJson.text(e, "sg_event_id"), email, ProviderJson.sender(ProviderJson.text(e, "from")),
                    NAME, status(e, event), null, ProviderJson.enhancedCode(ProviderJson.text(e, "status")), message(e), null,
                    occurredAt, null));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        return events;
    }

    /**
     * The event name, except that a bounce names its kind in "type" ("bounce" or "blocked"), which is what the rules
     * tell apart; either way the provider's word, not an interpretation.
     */
    private static String status(JsonNode e, String event) {
        String type = ProviderJson.text(e, "type");
        return "bounce".equals(event) && type != null ? type : event;
    }

    /** The drop reason or bounce text (else the receiving server's response), and SendGrid's bounce classification. */
    private static String message(JsonNode e) {
        String text = ProviderJson.text(e, "reason");
        if (text == null) {
            text = ProviderJson.text(e, "response");
        }
        String classification = ProviderJson.text(e, "bounce_classification");
        if (classification == null) {
            return text;
        }
        return text == null ? "classification: " + classification : text + "; classification: " + classification;
    }

    private static WebhookExceptions.Unauthenticated refused(String why) {
        return new WebhookExceptions.Unauthenticated(NAME, why);
    }
}
