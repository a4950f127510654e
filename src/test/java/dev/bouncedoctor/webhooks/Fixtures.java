package dev.bouncedoctor.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The providers' documented examples (src/test/resources/webhooks), with their example.com addresses moved to a domain
 * of the test's own: all test classes share one database, and a recipient's flag must be this test's doing.
 */
final class Fixtures {

    private Fixtures() {
    }

    /** A domain no other test uses. */
    static String domain() {
        return "w" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    /** A fixture with example.com replaced by {@code domain}. */
    static String load(String path, String domain) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/webhooks/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("example.com", domain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The logged events of a recipient (newest first), read with the test suite's API key. */
    static ValidatableResponse events(String recipient) {
        return given().queryParam("recipient", recipient).get("/v1/events").then().statusCode(200);
    }

    static ValidatableResponse recipient(String address) {
        return given().get("/v1/recipients/" + address).then();
    }

    /** The recipient's logged events that the rules counted as undelivered (or not diagnosed yet). */
    static ValidatableResponse undelivered(String recipient) {
        return given().queryParam("recipient", recipient).queryParam("undelivered", "true").get("/v1/events").then().statusCode(200);
    }

    /**
     * What the recipient's newest event means and the state it left the recipient in: {@code status} in the mail log's
     * words, {@code failure} "true" (counted undelivered), "false" (a delivery) or "null" (neither), the primary
     * diagnosis {@code reason}, and the recipient's flag, run of failures (1 after a failure, else 0) and bounce-list
     * entry. A null {@code reason} is not checked, nor a null {@code suppressed} (nor then {@code suppressedBy}) (see the test's comment on that fixture).
     */
    static void means(String recipient, String status, String failure, String reason, boolean flagged, Boolean suppressed,
                      String suppressedBy) {
        ValidatableResponse event = events(recipient).body("items[0].status", equalTo(status))
                .body("items[0].failure", "null".equals(failure) ? nullValue() : equalTo(Boolean.parseBoolean(failure)));
        if (reason != null) {
            event.body("items[0].reason", equalTo(reason));
        }
        ValidatableResponse state = recipient(recipient).statusCode(200).body("recipient.flaggedInvalid", equalTo(flagged))
                .body("recipient.consecutiveFailures", equalTo("true".equals(failure) ? 1 : 0));
        if (suppressed != null) {
            state.body("recipient.suppressed", equalTo(suppressed))
                    .body("recipient.suppressedBy", suppressedBy == null ? nullValue() : equalTo(suppressedBy));
        }
    }

    /**
     * Event {@code index} of a webhook's answer, logged after a hard bounce of the same recipient: neither a failure nor
     * a delivery, no suppression of its own, and the bounce's flag, run of failures (1) and bounce-list entry
     * (userunknown, by no provider) left as they were.
     */
    static void leftTheBounceAlone(ValidatableResponse answer, int index) {
        String at = "events[" + index + "].";
        answer.body(at + "event.failure", nullValue()).body(at + "event.suppress", equalTo(false))
                .body(at + "recipient.flaggedInvalid", equalTo(true)).body(at + "recipient.consecutiveFailures", equalTo(1))
                .body(at + "recipient.suppressedReason", equalTo("userunknown")).body(at + "recipient.suppressedBy", nullValue());
    }

    /** After a hard bounce and {@code logged - 1} later events that are no failures: still flagged, one undelivered event. */
    static void stillFlaggedByTheBounceAlone(String recipient, int logged) {
        events(recipient).body("total", equalTo(logged));
        recipient(recipient).statusCode(200).body("recipient.flaggedInvalid", equalTo(true))
                .body("recipient.consecutiveFailures", equalTo(1)).body("recipient.suppressedReason", equalTo("userunknown"))
                .body("recipient.suppressedBy", nullValue());
        undelivered(recipient).body("total", equalTo(1));
    }
}
