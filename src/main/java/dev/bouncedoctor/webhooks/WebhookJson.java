package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;

/**
 * Reading the providers' JSON: fields copied as they are, and a payload that cannot be read refused as a 400 naming the
 * provider's field, never a 500.
 */
final class WebhookJson {

    /** The longest eventId the mail log takes. */
    static final int MAX_EVENT_ID = 200;

    private WebhookJson() {
    }

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

    static InvalidFactException invalid(String field, String why) {
        return new InvalidFactException(List.of(new FieldError(field, why)));
    }

    /** A field's text, or null when it is absent, null or not a plain value. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = text(node, f);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
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

    /** Seconds since the epoch, possibly with a fraction, as SparkPost sends them (a string); null when absent. */
    static Instant epochSeconds(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            throw invalid(field, "'" + value + "' is not a time in seconds since 1970");
        }
    }

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
}
