package dev.bouncedoctor.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * POST /v1/webhooks/postmark with Postmark's documented webhook examples, authenticated with the test credentials of
 * application.properties (%test.webhooks.postmark.username/password).
 */
@QuarkusTest
class PostmarkWebhookTest {

    static final String USER = "postmark-test";
    static final String PASSWORD = "postmark-test-password-for-the-tests-only";

    private static ValidatableResponse post(String body, String user, String password) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (user != null) {
            request = request.auth().preemptive().basic(user, password);
        }
        return request.post("/v1/webhooks/postmark").then();
    }

    /** A fixture for a domain of its own, with its IDs made unique too (Postmark's IDs are the events' ids). */
    private static String fixture(String name, String domain) {
        String unique = String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L));
        return Fixtures.load("postmark/" + name, domain).replaceAll("\"ID\": \\d+", "\"ID\": " + unique)
                .replaceAll("\"MessageID\": \"[^\"]+\"", "\"MessageID\": \"" + UUID.randomUUID() + "\"");
    }

    /**
     * Each documented record, stored once with its type as sent, then what it means: the status it is filed under,
     * failure "true" (counted undelivered), "false" (a delivery) or "null" (neither), the primary reason, and the
     * recipient's state after it. An empty reason or suppressed is left unchecked: see the comment on that row.
     */
    @ParameterizedTest(name = "{0}: {2} means {4}")
    @CsvSource(delimiter = '|', value = {
            // fixture                | local           | type               | id prefix           | status     | failure | reason      | flagged | suppressed | suppressedBy
            "bounce.json              | john            | HardBounce         | bounce:             | bounced    | true    | userunknown | true    | true       | ",
            // The recipient marked the mail as spam: a complaint, whatever Postmark's Details say ("Test spam complaint details").
            "spam-complaint.json      | john            | SpamComplaint      | bounce:             | complained | true    | feedback    | true    | true       | ",
            "delivery.json            | john            | Delivery           | Delivery:           | delivered  | false   | delivered   | false   | false      | ",
            "open.json                | john            | Open               | Open:               | opened     | null    | opened      | false   | false      | ",
            "click.json               | john            | Click              | Click:              | clicked    | null    | clicked     | false   | false      | ",
            // Postmark stopped sending after a hard bounce: its own suppression, listed with Postmark as the source.
            "subscription-change.json | bounced-address | SubscriptionChange | SubscriptionChange: | unknown    | null    | suppressed  | false   | true       | postmark"})
    void eachDocumentedRecordIsStoredOnceWithItsTypeAsSent(String fixture, String local, String status, String idPrefix, String means,
                                                           String failure, String reason, boolean flagged, Boolean suppressed,
                                                           String suppressedBy) {
        String domain = Fixtures.domain();
        String body = fixture(fixture, domain);
        String recipient = local + "@" + domain;
        post(body, USER, PASSWORD).statusCode(200).body("provider", equalTo("postmark")).body("received", equalTo(1)).body("stored", equalTo(1));
        post(body, USER, PASSWORD).statusCode(200).body("received", equalTo(1)).body("stored", equalTo(0));
        Fixtures.events(recipient).body("items", hasSize(1)).body("items[0].reportedStatus", equalToIgnoringCase(status))
                .body("items[0].provider", equalTo("postmark")).body("items[0].eventId", startsWith(idPrefix));
        Fixtures.means(recipient, means, failure, reason, flagged, suppressed, suppressedBy);
    }

    @Test
    void aHardBounceIsDiagnosedAndFlagsTheRecipient() {
        String domain = Fixtures.domain();
        post(fixture("bounce.json", domain), USER, PASSWORD).statusCode(200).body("stored", equalTo(1));
        String john = "john@" + domain;
        Fixtures.events(john).body("items[0].reason", equalTo("userunknown")).body("items[0].message", containsString("550 5.1.1"))
                .body("items[0].sender", equalTo("sender@" + domain)).body("items[0].occurredAt", containsString("2019-11-05T16:33:54"));
        Fixtures.recipient(john).statusCode(200).body("recipient.flaggedInvalid", equalTo(true));
    }

    @Test
    void engagementAfterAHardBounceNeverFlagsNorCounts() {
        // Postmark documents no hand-off record (nothing like "processed"): its engagement records are Open, Click and a
        // subscription change that lets sending resume.
        String domain = Fixtures.domain();
        String john = "john@" + domain;
        post(fixture("bounce.json", domain), USER, PASSWORD).statusCode(200).body("stored", equalTo(1))
                .body("events[0].recipient.flaggedInvalid", equalTo(true)).body("events[0].recipient.consecutiveFailures", equalTo(1));
        // The bounce was at 2019-11-05T16:33:54; each of these comes a day or more later.
        String[] later = {
            fixture("open.json", domain).replace("2019-11-05T16:33:54.9070259Z", "2019-11-06T16:33:54Z"),
            fixture("click.json", domain).replace("2019-11-05T16:33:54.9070259Z", "2019-11-06T16:34:54Z"),
            fixture("subscription-change.json", domain).replace("bounced-address@", "john@").replace("\"SuppressSending\": true", "\"SuppressSending\": false")
                    .replace("\"SuppressionReason\": \"HardBounce\"", "\"SuppressionReason\": null")};
        for (String body : later) {
            Fixtures.leftTheBounceAlone(post(body, USER, PASSWORD).statusCode(200).body("stored", equalTo(1)), 0);
        }
        Fixtures.events(john).body("items.status", hasItems("opened", "clicked", "subscribed"));
        Fixtures.stillFlaggedByTheBounceAlone(john, 1 + later.length);
    }

    @Test
    void aSubscriptionChangeCarriesItsSuppressionInTheMessage() {
        String domain = Fixtures.domain();
        post(fixture("subscription-change.json", domain), USER, PASSWORD).statusCode(200);
        Fixtures.events("bounced-address@" + domain).body("items[0].message", equalTo("SuppressSending: true; SuppressionReason: HardBounce"));
    }

    @Test
    void aWrongPasswordOrNoCredentialsAreRefusedAndNothingIsStored() {
        String domain = Fixtures.domain();
        String body = fixture("bounce.json", domain);
        post(body, USER, "wrong").statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:bounce-doctor:problem:webhook-unauthenticated"));
        post(body, "someone", PASSWORD).statusCode(401);
        given().contentType(ContentType.JSON).body(body).post("/v1/webhooks/postmark").then().statusCode(401)
                .body("type", equalTo("urn:bounce-doctor:problem:webhook-unauthenticated"));
        given().contentType(ContentType.JSON).header("X-Webhook-Token", "guess").body(body).post("/v1/webhooks/postmark").then().statusCode(401);
        Fixtures.events("john@" + domain).body("items", hasSize(0));
    }

    @Test
    void aPayloadWithoutRecordTypeOrNotJsonIsABadRequest() {
        post("{\"Email\":\"a@b.example\"}", USER, PASSWORD).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("RecordType"));
        post("[1,2", USER, PASSWORD).statusCode(400).contentType("application/problem+json");
    }
}
