package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bouncedoctor.model.Addresses;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.SmtpCodes;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reading the providers' JSON: the few shapes their payloads share (texts, epoch-second timestamps, a From that may carry
 * a display name). Mechanics only; what a field means is the rules' business.
 */
final class ProviderJson {

    private ProviderJson() {
    }

    /** The body as JSON; a body that is not JSON is the caller's error (400 naming "body"), never a 500. */
    static JsonNode parse(ObjectMapper json, WebhookCall call, String expected) {
        JsonNode root;
        try {
            root = call.body().length == 0 ? null : json.readTree(call.body());
        } catch (JsonProcessingException e) {
            throw invalid("body", "is not JSON (" + e.getOriginalMessage() + "); send " + expected + " as the provider posts it");
        } catch (IOException e) {
            throw invalid("body", "could not be read; send " + expected + " as the provider posts it");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw invalid("body", "is empty; send " + expected + " as the provider posts it");
        }
        return root;
    }

    static InvalidFactException invalid(String field, String message) {
        return new InvalidFactException(List.of(new FieldError(field, message)));
    }

    /**
     * A field's text when it is a plain value (a string, a number some providers send for ids, a boolean such as Postmark's
     * SuppressSending), not blank; otherwise null.
     */
    static String text(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull() || !node.isValueNode()) {
            return null;
        }
        String value = node.asText();
        return value.isBlank() ? null : value;
    }

    /** The first of the fields that has text. */
    static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = text(node, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A JSON document held in a string (SNS's Message); one that is not JSON is a 400 naming the field. */
    static JsonNode read(ObjectMapper json, String field, String text) {
        try {
            JsonNode root = json.readTree(text);
            if (root == null || root.isMissingNode()) {
                throw invalid(field, "is empty; send the provider's JSON");
            }
            return root;
        } catch (JacksonException e) {
            throw invalid(field, "is not JSON: " + e.getOriginalMessage());
        }
    }

    /** An ISO-8601 time with a zone (SES's {@code Z}, Postmark's {@code -04:00}); null when absent. */
    static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(field, "'" + value + "' is not an ISO-8601 time with a zone");
        }
    }

    /** Seconds since the epoch given as a string (SparkPost's); null when absent; anything else a 400 naming the field. */
    static Instant epochSeconds(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return epochSeconds(TextNode.valueOf(value));
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            throw invalid(field, "'" + value + "' is not a time in seconds since 1970");
        }
    }

    /** The longest eventId the mail log takes. */
    static final int MAX_EVENT_ID = 200;

    /**
     * The provider's id as the mail log's eventId. One longer than the log takes (a long SNS MessageId with a long
     * address) becomes a digest of itself: still the same for a retried call, so idempotency holds.
     */
    static String eventId(String id) {
        if (id == null || id.length() <= MAX_EVENT_ID) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Epoch seconds as text: digits, optionally a fraction; no exponent, whose size could make the arithmetic huge. */
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,18}(\\.\\d{1,18})?");
    private static final BigDecimal LATEST_SECOND = BigDecimal.valueOf(Instant.MAX.getEpochSecond());

    /**
     * Epoch seconds, possibly with a fraction (Mailgun's 1521472262.908181), as an instant; null when absent. The fraction
     * is read from the number's shortest decimal form, not from the binary double, so that it is what the provider wrote.
     *
     * @throws NumberFormatException when it is not such a number
     */
    static Instant epochSeconds(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        BigDecimal seconds;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            seconds = BigDecimal.valueOf(node.longValue());
        } else if (node.isBigDecimal()) {
            seconds = node.decimalValue();
        } else if (node.isFloatingPointNumber() && Double.isFinite(node.doubleValue())) {
            seconds = BigDecimal.valueOf(node.doubleValue());
        } else if (node.isTextual() && DECIMAL.matcher(node.asText().strip()).matches()) {
            seconds = new BigDecimal(node.asText().strip());
        } else {
            throw new NumberFormatException("not a number of seconds");
        }
        // Bounded before any rescaling: a scale or magnitude this far out is no time, and rescaling it would cost dearly.
        if (seconds.scale() > 30 || seconds.scale() < -30 || seconds.abs().compareTo(LATEST_SECOND) > 0) {
            throw new NumberFormatException("out of range");
        }
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    /**
     * The sender's address when the provider's value is one address (with or without a display name); otherwise none.
     * The sender is context, not the subject of the event: a From header the service cannot parse must not cost the
     * provider's event, which a refused call would (the provider retries it, then drops it).
     */
    static String sender(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Addresses.canonical(raw);
        } catch (Addresses.InvalidAddressException e) {
            return null;
        }
    }

    /** An RFC 3463 code as the provider gave it, or null when it is no such code (the normaliser then looks in the text). */
    static String enhancedCode(String raw) {
        return raw != null && SmtpCodes.isEnhancedCode(raw.strip()) ? raw.strip() : null;
    }

    /** Why a signed timestamp given as text (seconds since 1970) is refused, or null when it is fresh. */
    static String staleness(String epochSeconds, Duration maxAge, Instant now) {
        long seconds;
        try {
            seconds = Long.parseLong(epochSeconds.strip());
        } catch (NumberFormatException e) {
            return "the signed timestamp '" + epochSeconds + "' is not a number of seconds";
        }
        return staleness(seconds, maxAge, now);
    }

    /** Why a signed timestamp is refused, or null when it is within max-age of now, either way (clocks drift both ways). */
    static String staleness(long epochSeconds, Duration maxAge, Instant now) {
        Duration off = Duration.between(Instant.ofEpochSecond(epochSeconds), now);
        if (off.compareTo(maxAge) > 0) {
            return "the signed timestamp is " + off.toSeconds() + " s old, more than webhooks.max-age (" + maxAge.toSeconds() + " s)";
        }
        if (off.negated().compareTo(maxAge) > 0) {
            return "the signed timestamp is " + off.negated().toSeconds() + " s in the future, more than webhooks.max-age ("
                    + maxAge.toSeconds() + " s)";
        }
        return null;
    }
}
