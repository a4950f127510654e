package dev.bouncedoctor.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * POST /v1/webhooks/ses: SES's documented notifications, in SNS messages signed by the tests' stand-in for SNS
 * ({@link SnsEndpoint}, a test resource of every test application rather than a profile, which would restart Quarkus).
 */
@QuarkusTest
@QuarkusTestResource(value = SnsEndpoint.class, restrictToAnnotatedClass = false)
class SesWebhookTest {

    private static ValidatableResponse post(String body, String contentType) {
        return given().contentType(contentType).body(body).post("/v1/webhooks/ses").then();
    }

    private static ValidatableResponse post(Map<String, String> signed) {
        return post(SnsEndpoint.json(signed), "text/plain; charset=UTF-8");
    }

    private static String messageId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Each documented notification, stored once per recipient with its type as sent, then what it means: the status it
     * is filed under, failure "true" (counted undelivered), "false" (a delivery) or "null" (neither), the primary reason,
     * and the recipient's state after it. Send, DeliveryDelay, Open, Click and Subscription never flag.
     */
    @ParameterizedTest(name = "{0}: {1} {2} means {4}")
    @CsvSource(delimiter = '|', value = {
            // fixture                         | local     | type               | message                                | status       | failure | reason       | flagged | suppressed
            "notification-bounce.json          | jane      | Permanent          | General; smtp; 550 5.1.1               | bounced      | true    | userunknown  | true    | true",
            // A permanent bounce with no DSN says no more than that: a failure, not listed without a reason.
            "notification-bounce-no-dsn.json   | richard   | Permanent          | General                                | bounced      | true    | undefined    | true    | false",
            "notification-complaint.json       | richard   | Complaint          | abuse                                  | complained   | true    | feedback     | true    | true",
            "notification-delivery.json        | jane      | Delivery           | 250 ok                                 | delivered    | false   | delivered    | false   | false",
            "event-bounce.json                 | recipient | Permanent          | General; smtp; 550 5.1.1 user unknown  | bounced      | true    | userunknown  | true    | true",
            "event-complaint.json              | recipient | Complaint          | abuse                                  | complained   | true    | feedback     | true    | true",
            "event-delivery.json               | recipient | Delivery           | 250 2.6.0                              | delivered    | false   | delivered    | false   | false",
            "event-delivery-delay.json         | recipient | DeliveryDelay      | InternalFailure; smtp; 421 4.4.2       | deferred     | null    | networkerror | false   | false",
            "event-send.json                   | recipient | Send               |                                        | sent         | null    | onhold       | false   | false",
            // SES refused the message (virus): the sender's content, yet counted as a failure of the address (see report).
            "event-reject.json                 | recipient | Reject             | Bad content                            | rejected     | true    | undefined    | true    | false",
            "event-open.json                   | recipient | Open               |                                        | opened       | null    | opened       | false   | false",
            "event-click.json                  | recipient | Click              |                                        | clicked      | null    | clicked      | false   | false",
            // A template that could not be rendered: the sender's, yet counted as a failure of the address (see report).
            "event-rendering-failure.json      | recipient | Rendering Failure  | is not present in the rendering data   | failed       | true    | undefined    | true    | false",
            "event-subscription.json           | recipient | Subscription       |                                        | unsubscribed | null    | unsubscribed | false   | false"})
    void eachDocumentedNotificationIsStoredOncePerRecipientWithItsTypeAsSent(String fixture, String local, String status, String message,
                                                                            String means, String failure, String reason, boolean flagged,
                                                                            boolean suppressed) {
        String domain = Fixtures.domain();
        String id = messageId();
        String recipient = local + "@" + domain;
        Map<String, String> signed = SnsEndpoint.signed(SnsEndpoint.notification(id, Fixtures.load("ses/" + fixture, domain), Instant.now()), "2");
        JsonPath first = post(signed).statusCode(200).body("provider", equalTo("ses")).extract().jsonPath();
        int received = first.getInt("received");
        assertEquals(received, first.getInt("stored"), "all new the first time");
        post(signed).statusCode(200).body("received", equalTo(received)).body("stored", equalTo(0));
        Fixtures.events(recipient).body("items", hasSize(1)).body("items[0].reportedStatus", equalToIgnoringCase(status))
                .body("items[0].provider", equalTo("ses")).body("items[0].eventId", equalTo(id + ":" + recipient))
                .body("items[0].message", message == null ? nullValue() : containsString(message));
        Fixtures.means(recipient, means, failure, reason, flagged, suppressed, null);
    }

    @Test
    void engagementAndHandOffAfterAHardBounceNeverFlagNorCount() {
        String domain = Fixtures.domain();
        String recipient = "recipient@" + domain;
        post(SnsEndpoint.signed(SnsEndpoint.notification(messageId(), Fixtures.load("ses/event-bounce.json", domain), Instant.now()), "2"))
                .statusCode(200).body("stored", equalTo(1)).body("events[0].recipient.flaggedInvalid", equalTo(true))
                .body("events[0].recipient.consecutiveFailures", equalTo(1));
        // The bounce happened at 2017-08-05T00:41:02; these are sent (their mail.timestamp, the Send's time) an hour later.
        String[] later = {"event-send.json", "event-delivery-delay.json", "event-open.json", "event-click.json", "event-subscription.json"};
        for (String fixture : later) {
            String message = Fixtures.load("ses/" + fixture, domain).replace("2017-08-05T00:40:02.012Z", "2017-08-05T01:41:02.000Z");
            Fixtures.leftTheBounceAlone(post(SnsEndpoint.signed(SnsEndpoint.notification(messageId(), message, Instant.now()), "2"))
                    .statusCode(200).body("stored", equalTo(1)), 0);
        }
        Fixtures.stillFlaggedByTheBounceAlone(recipient, 1 + later.length);
    }

    @Test
    void aPermanentGeneralBounceWithUserUnknownIsDiagnosedAndFlagsTheRecipientAndTheSenderIsNoRecipient() {
        String domain = Fixtures.domain();
        String id = messageId();
        Map<String, String> signed = SnsEndpoint.signed(SnsEndpoint.notification(id, Fixtures.load("ses/notification-bounce.json", domain), Instant.now()), "1");
        post(signed).statusCode(200).body("received", equalTo(1)).body("stored", equalTo(1));
        String jane = "jane@" + domain;
        Fixtures.events(jane).body("items[0].reason", equalTo("userunknown")).body("items[0].enhancedCode", equalTo("5.1.1"))
                .body("items[0].sender", containsString("john@" + domain)).body("items[0].occurredAt", containsString("2016-01-27T14:59:38"));
        Fixtures.recipient(jane).statusCode(200).body("recipient.flaggedInvalid", equalTo(true));
        Fixtures.events("john@" + domain).body("items", hasSize(0));
        // SNS delivers at least once: the same message again stores nothing
        post(signed).statusCode(200).body("received", equalTo(1)).body("stored", equalTo(0));
        Fixtures.events(jane).body("items", hasSize(1));
    }

    @Test
    void signatureVersionOneAndTwoAreBothVerifiedAndJsonContentTypeIsTakenToo() {
        String domain = Fixtures.domain();
        post(SnsEndpoint.json(SnsEndpoint.signed(SnsEndpoint.notification(messageId(), Fixtures.load("ses/event-bounce.json", domain), Instant.now()), "1")),
                "application/json").statusCode(200).body("stored", equalTo(1));
        post(SnsEndpoint.json(SnsEndpoint.signed(SnsEndpoint.notification(messageId(), Fixtures.load("ses/event-delivery.json", domain), Instant.now()), "2")),
                "text/plain").statusCode(200).body("stored", equalTo(1));
        Fixtures.events("recipient@" + domain).body("items", hasSize(2));
    }

    @Test
    void aTamperedMessageIsRefusedAndNothingIsStored() {
        String domain = Fixtures.domain();
        Map<String, String> signed = new LinkedHashMap<>(
                SnsEndpoint.signed(SnsEndpoint.notification(messageId(), Fixtures.load("ses/event-delivery.json", domain), Instant.now()), "2"));
        signed.put("Message", Fixtures.load("ses/event-bounce.json", domain));
        post(signed).statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:bounce-doctor:problem:webhook-unauthenticated")).body("detail", containsString("signature"));
        Fixtures.events("recipient@" + domain).body("items", hasSize(0));
    }

    @Test
    void aCertificateOutsideThePatternIsNeitherFetchedNorTrusted() {
        String domain = Fixtures.domain();
        String elsewhere = SnsEndpoint.url("/elsewhere-" + UUID.randomUUID() + ".pem").replace("127.0.0.1", "localhost");
        Map<String, String> fields = SnsEndpoint.notification(messageId(), Fixtures.load("ses/event-bounce.json", domain), Instant.now());
        fields.put("SigningCertURL", elsewhere);
        post(SnsEndpoint.signed(fields, "2")).statusCode(401).body("type", equalTo("urn:bounce-doctor:problem:webhook-unauthenticated"))
                .body("detail", containsString("SigningCertURL"));
        assertFalse(SnsEndpoint.seen().stream().anyMatch(s -> s.contains("elsewhere-")), "fetched: " + SnsEndpoint.seen());
        Fixtures.events("recipient@" + domain).body("items", hasSize(0));
    }

    @Test
    void aStaleTimestampIsRefusedAsAReplay() {
        String domain = Fixtures.domain();
        Map<String, String> signed = SnsEndpoint.signed(
                SnsEndpoint.notification(messageId(), Fixtures.load("ses/event-bounce.json", domain), Instant.now().minus(1, ChronoUnit.HOURS)), "2");
        post(signed).statusCode(401).body("type", equalTo("urn:bounce-doctor:problem:webhook-unauthenticated")).body("detail", containsString("older"));
        Fixtures.events("recipient@" + domain).body("items", hasSize(0));
    }

    @Test
    void aSubscriptionConfirmationIsConfirmedAtTheSubscribeUrlAndCarriesNoEvent() {
        String token = "token-" + UUID.randomUUID();
        post(SnsEndpoint.signed(SnsEndpoint.subscriptionConfirmation(messageId(), token, Instant.now()), "1"))
                .statusCode(200).body("received", equalTo(0)).body("stored", equalTo(0));
        assertTrue(SnsEndpoint.seen().stream().anyMatch(s -> s.startsWith("GET /confirm?") && s.contains(token)), "seen: " + SnsEndpoint.seen());
    }

    @Test
    void aBodyThatIsNoSnsMessageIsABadRequest() {
        post("not json", "text/plain").statusCode(400).contentType("application/problem+json");
        post("{\"Type\":\"Notification\"}", "application/json").statusCode(400).body("detail", containsString("MessageId"));
    }

    @Test
    void aSignedNotificationWhoseMessageIsNoSesNotificationIsABadRequest() {
        post(SnsEndpoint.signed(SnsEndpoint.notification(messageId(), "{\"hello\":\"world\"}", Instant.now()), "2")).statusCode(400)
                .body("detail", containsString("eventType"));
    }

    @Test
    void everyRecipientOfABounceIsOneEvent() {
        String domain = Fixtures.domain();
        String id = messageId();
        post(SnsEndpoint.signed(SnsEndpoint.notification(id, Fixtures.load("ses/notification-bounce-no-dsn.json", domain), Instant.now()), "2"))
                .statusCode(200).body("received", equalTo(2)).body("stored", equalTo(2));
        Fixtures.events("jane@" + domain).body("items.eventId", hasItem(id + ":jane@" + domain));
        Fixtures.events("mary@" + domain).body("items", hasSize(0));
    }
}
