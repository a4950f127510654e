package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.EventRequest;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Mailgun's webhooks: one event per call, {@code {"signature":{timestamp, token, signature}, "event-data":{…}}}.
 * The signature is Mailgun's: HMAC-SHA256 of timestamp followed by token under the account's webhook signing key, in
 * hex. A call is refused when it is not signed so, when its timestamp is further than webhooks.max-age from now, and
 * when its token was already used within that time: the signature covers only timestamp and token, not the event, so a
 * captured signature block must not be reusable, and remembering tokens for max-age is enough since older ones are
 * stale anyway (kept in the database, WebhookTokens, so that a replay to another replica is caught too).
 */
@ApplicationScoped
public class MailgunWebhook implements ProviderWebhook {

    static final String NAME = "mailgun";
    private static final String EXPECTED = "Mailgun's {\"signature\":{…},\"event-data\":{…}}";

    private final Optional<String> signingKey;
    private final Duration maxAge;
    private final ObjectMapper json;
    private final WebhookTokens tokens;

    public MailgunWebhook(@ConfigProperty(name = "webhooks.mailgun.signing-key") Optional<String> signingKey,
                          @ConfigProperty(name = "webhooks.max-age", defaultValue = "5m") Duration maxAge, ObjectMapper json,
                          WebhookTokens tokens) {
        this.signingKey = signingKey.filter(k -> !k.isBlank());
        this.maxAge = maxAge;
        this.json = json;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean configured() {
        return signingKey.isPresent();
    }

    @Override
    public String configHint() {
        return "webhooks.mailgun.signing-key (WEBHOOKS_MAILGUN_SIGNING_KEY): the HTTP webhook signing key from Mailgun";
    }

    @Override
    public void verify(WebhookCall call) {
        JsonNode signature = ProviderJson.parse(json, call, EXPECTED).get("signature");
        String timestamp = ProviderJson.text(signature, "timestamp");
        String token = ProviderJson.text(signature, "token");
        String given = ProviderJson.text(signature, "signature");
        if (timestamp == null || token == null || given == null) {
            throw refused("no signature: the body has no signature object with timestamp, token and signature");
        }
        byte[] expected = hmac(timestamp + token).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw refused("the signature does not match timestamp and token under the configured signing key");
        }
        String stale = ProviderJson.staleness(timestamp, maxAge, Instant.now());
        if (stale != null) {
            throw refused(stale);
        }
        // Remembered only now that the signature holds: unsigned calls must not fill the cache or burn real tokens.
        if (!tokens.firstUse(NAME, token)) {
            throw refused("the token was already used: a replayed call");
        }
    }

    @Override
    public List<EventRequest> events(WebhookCall call) {
        JsonNode data = ProviderJson.parse(json, call, EXPECTED).get("event-data");
        if (data == null || !data.isObject()) {
            throw ProviderJson.invalid("event-data", "required: Mailgun's event object");
        }
        List<FieldError> errors = new ArrayList<>();
        String recipient = ProviderJson.text(data, "recipient");
        if (recipient == null) {
            errors.add(new FieldError("event-data.recipient", "required: the address the message was sent to"));
        }
        String event = ProviderJson.text(data, "event");
        if (event == null) {
            errors.add(new FieldError("event-data.event", "required: Mailgun's event name, e.g. \"delivered\" or \"failed\""));
        }
        Instant occurredAt = null;
        try {
            occurredAt = ProviderJson.epochSeconds(data.get("timestamp"));
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            errors.add(new FieldError("event-data.timestamp", "is not a number of seconds since 1970"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        JsonNode status = data.get("delivery-status");
        String sender = ProviderJson.text(data.get("envelope"), "sender");
        if (sender == null) {
            JsonNode message = data.get("message");
            sender = ProviderJson.text(message == null ? null : message.get("headers"), "from");
        }
        return List.of(new EventRequest(ProviderJson.text(data, "id"), recipient, ProviderJson.sender(sender), NAME, event,
                smtpCode(status), ProviderJson.enhancedCode(ProviderJson.text(status, "enhanced-code")), message(data, status),
                null, occurredAt, null));
    }

    /**
     * delivery-status.code when it is a reply code (200–599) or one of Mailgun's own codes (600–699, e.g. 605 "Not
     * delivering to previously bounced address"), which say more than the event name; 0 and other values are no code.
     */
    private static Integer smtpCode(JsonNode status) {
        JsonNode code = status == null ? null : status.get("code");
        int value;
        if (code != null && code.isIntegralNumber() && code.canConvertToInt()) {
            value = code.intValue();
        } else if (code != null && code.isTextual()) {
            value = parseOrZero(code.asText());
        } else {
            return null;
        }
        return value >= 200 && value <= 699 ? value : null;
    }

    private static int parseOrZero(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * What Mailgun says about the event, in the form the rules read (rules/README.md, "Provider events"): "severity: …;
     * reason: …; " then the delivery status's description and the receiving server's message, each once.
     */
    private static String message(JsonNode data, JsonNode status) {
        List<String> parts = new ArrayList<>();
        String severity = ProviderJson.text(data, "severity");
        if (severity != null) {
            parts.add("severity: " + severity);
        }
        JsonNode reject = data.get("reject");
        String reason = ProviderJson.text(data, "reason");
        if (reason == null) {
            // A rejected event gives its reason in a reject object instead.
            reason = ProviderJson.text(reject, "reason");
        }
        if (reason != null) {
            parts.add("reason: " + reason);
        }
        for (String text : new String[] {ProviderJson.text(status, "description"), ProviderJson.text(status, "message"),
                ProviderJson.text(reject, "description")}) {
            if (text != null && !parts.contains(text.strip())) {
                parts.add(text.strip());
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private String hmac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey.orElseThrow().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is in every JRE; a key it cannot take is the operator's to fix, and no call can be verified.
            throw new IllegalStateException("cannot compute Mailgun's HMAC-SHA256", e);
        }
    }

    private static WebhookExceptions.Unauthenticated refused(String why) {
        return new WebhookExceptions.Unauthenticated(NAME, why);
    }
}
