package dev.bouncedoctor.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * POST /v1/webhooks/sparkpost with SparkPost's documented event samples, authenticated with the token header of
 * application.properties (%test.webhooks.sparkpost.token).
 */
@QuarkusTest
class SparkPostWebhookTest {

    static final String TOKEN = "sparkpost-test-token-for-the-tests-only";
    static final String HEADER = "X-MessageSystems-Webhook-Token";

    private static ValidatableResponse post(String body, String token) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (token != null) {
            request = request.header(HEADER, token);
        }
        return request.post("/v1/webhooks/sparkpost").then();
    }

    /** A fixture for a domain of its own, its event_id made unique (SparkPost's event ids are the events' ids). */
    private static Fixture fixture(String name, String domain) {
        String eventId = "sp-" + UUID.randomUUID();
        return new Fixture(Fixtures.load("sparkpost/" + name, domain).replaceAll("\"event_id\": \"\\d+\"", "\"event_id\": \"" + eventId + "\""), eventId);
    }

    record Fixture(String body, String eventId) {
    }

    /**
     * Each documented event, stored once with its type as sent, then what it means: the status it is filed under,
     * failure "true" (counted undelivered), "false" (a delivery) or "null" (neither), the primary reason, and the
     * recipient's state after it. An empty reason or suppressed is left unchecked: see the comment on that row.
     */
    @ParameterizedTest(name = "{0} means {2}")
    @CsvSource(delimiter = '|', value = {
            // fixture                 | type                 | status       | failure | reason        | flagged | suppressed | suppressedBy
            "injection.json            | injection            | queued       | null    | onhold        | false   | false |",
            "delivery.json             | delivery             | delivered    | false   | delivered     | false   | false |",
            "bounce.json               | bounce               | bounced      | true    | userunknown   | true    | true |",
            "delay.json                | delay                | deferred     | null    | networkerror  | false   | false |",
            "out-of-band.json          | out_of_band          | bounced      | true    | userunknown   | true    | true |",
            // SparkPost's sample: "550 5.7.1 [internal] Message generation rejected", bounce class 25 (admin failure).
            "policy-rejection.json     | policy_rejection     | rejected     | true    | securityerror | true    | false |",
            "spam-complaint.json       | spam_complaint       | complained   | true    | feedback      | true    | true |",
            "open.json                 | open                 | opened       | null    | opened        | false   | false |",
            "initial-open.json         | initial_open         | opened       | null    | opened        | false   | false |",
            "click.json                | click                | clicked      | null    | clicked       | false   | false |",
            "amp-open.json             | amp_open             | opened       | null    | opened        | false   | false |",
            "amp-click.json            | amp_click            | clicked      | null    | clicked       | false   | false |",
            "list-unsubscribe.json     | list_unsubscribe     | unsubscribed | null    | unsubscribed  | false   | false |",
            "link-unsubscribe.json     | link_unsubscribe     | unsubscribed | null    | unsubscribed  | false   | false |",
            // A template that could not be rendered: the sender's, yet counted as a failure of the address (see report).
            "generation-failure.json   | generation_failure   | failed       | true    | systemerror   | true    | false |",
            // "Recipient address suppressed due to customer policy": SparkPost's own suppression list, listed as SparkPost's.
            "generation-rejection.json | generation_rejection | rejected     | true    | suppressed    | true    | true | sparkpost"})
    void eachDocumentedEventIsStoredOnceWithItsTypeAsSent(String name, String type, String status, String failure, String reason,
                                                          boolean flagged, Boolean suppressed, String suppressedBy) {
        String domain = Fixtures.domain();
        Fixture f = fixture(name, domain);
        post(f.body(), TOKEN).statusCode(200).body("provider", equalTo("sparkpost")).body("received", equalTo(1)).body("stored", equalTo(1));
        post(f.body(), TOKEN).statusCode(200).body("received", equalTo(1)).body("stored", equalTo(0));
        Fixtures.events("recipient@" + domain).body("items", hasSize(1)).body("items[0].reportedStatus", equalToIgnoringCase(type))
                .body("items[0].provider", equalTo("sparkpost")).body("items[0].eventId", equalTo(f.eventId()))
                .body("items[0].sender", equalTo("sender@" + domain)).body("items[0].occurredAt", containsString("2016-04-18T14:25:07"));
        Fixtures.means("recipient@" + domain, status, failure, reason, flagged, suppressed, suppressedBy);
    }

    @Test
    void aBounceCarriesItsReasonClassAndCodeAndFlagsTheRecipient() {
        String domain = Fixtures.domain();
        post(fixture("bounce.json", domain).body(), TOKEN).statusCode(200).body("stored", equalTo(1));
        String recipient = "recipient@" + domain;
        Fixtures.events(recipient).body("items[0].message", equalTo("554 5.5.0 Invalid recipient; bounce class: 10"))
                .body("items[0].smtpCode", equalTo(554)).body("items[0].reason", notNullValue());
        Fixtures.recipient(recipient).statusCode(200).body("recipient.flaggedInvalid", equalTo(true));
    }

    /** A documented event at {@code epochSecond} instead of its sample time (1460989507, 2016-04-18T14:25:07Z). */
    private static String at(String name, String domain, long epochSecond) {
        return fixture(name, domain).body().replace("\"timestamp\": \"1460989507\"", "\"timestamp\": \"" + epochSecond + "\"");
    }

    /** SparkPost's batches: the events of several one-event samples in one array, in the order given. */
    private static String batch(String... oneEventBatches) {
        StringBuilder out = new StringBuilder("[");
        for (String b : oneEventBatches) {
            String body = b.trim();
            out.append(out.length() > 1 ? "," : "").append(body, 1, body.length() - 1);
        }
        return out.append("]").toString();
    }

    @Test
    void engagementHandOffAndDeferralAfterAHardBounceNeverFlagNorCount() {
        String domain = Fixtures.domain();
        String recipient = "recipient@" + domain;
        long bounced = 1460989507L;
        post(fixture("bounce.json", domain).body(), TOKEN).statusCode(200).body("stored", equalTo(1))
                .body("events[0].recipient.flaggedInvalid", equalTo(true)).body("events[0].recipient.consecutiveFailures", equalTo(1));
        String[] later = {"injection.json", "delay.json", "open.json", "initial-open.json", "click.json", "amp-open.json", "amp-click.json",
            "list-unsubscribe.json", "link-unsubscribe.json"};
        String[] bodies = new String[later.length];
        for (int i = 0; i < later.length; i++) {
            bodies[i] = at(later[i], domain, bounced + 60L * (i + 1));
        }
        ValidatableResponse answer = post(batch(bodies), TOKEN).statusCode(200).body("stored", equalTo(later.length));
        for (int i = 0; i < later.length; i++) {
            Fixtures.leftTheBounceAlone(answer, i);
        }
        Fixtures.stillFlaggedByTheBounceAlone(recipient, 1 + later.length);
    }

    @Test
    void inOneBatchAnOlderDeliveryListedAfterTheBounceLeavesTheFlagAndALaterOneClearsIt() {
        String domain = Fixtures.domain();
        String recipient = "recipient@" + domain;
        long t1 = 1460989507L;
        long t2 = t1 + 3600;
        long t3 = t2 + 3600;
        post(batch(at("bounce.json", domain, t2), at("delivery.json", domain, t1)), TOKEN).statusCode(200).body("stored", equalTo(2));
        Fixtures.events(recipient).body("total", equalTo(2)).body("items.status", hasItems("bounced", "delivered"));
        Fixtures.recipient(recipient).statusCode(200).body("recipient.flaggedInvalid", equalTo(true))
                .body("recipient.consecutiveFailures", equalTo(1));
        post(at("delivery.json", domain, t3), TOKEN).statusCode(200).body("stored", equalTo(1));
        Fixtures.recipient(recipient).statusCode(200).body("recipient.flaggedInvalid", equalTo(false))
                .body("recipient.consecutiveFailures", equalTo(0));
    }

    @Test
    void theTestPingCarriesNoEvent() {
        post(Fixtures.load("sparkpost/ping.json", Fixtures.domain()), TOKEN).statusCode(200).body("received", equalTo(0)).body("stored", equalTo(0));
    }

    @Test
    void severalEventsInOneBatchAreEachStored() {
        String domain = Fixtures.domain();
        String a = fixture("delivery.json", domain).body().trim();
        String b = fixture("open.json", domain).body().trim();
        String batch = a.substring(0, a.length() - 1) + "," + b.substring(1);
        post(batch, TOKEN).statusCode(200).body("received", equalTo(2)).body("stored", equalTo(2));
    }

    @Test
    void aWrongTokenOrNoneIsRefusedAndNothingIsStored() {
        String domain = Fixtures.domain();
        String body = fixture("bounce.json", domain).body();
        post(body, "wrong-token").statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:bounce-doctor:problem:webhook-unauthenticated"));
        given().contentType(ContentType.JSON).body(body).post("/v1/webhooks/sparkpost").then().statusCode(401);
        given().contentType(ContentType.JSON).auth().preemptive().basic("sparkpost", "guess").body(body).post("/v1/webhooks/sparkpost").then()
                .statusCode(401);
        Fixtures.events("recipient@" + domain).body("items", hasSize(0));
    }

    @Test
    void aPayloadThatIsNoBatchIsABadRequest() {
        post("{\"msys\":{}}", TOKEN).statusCode(400).contentType("application/problem+json");
        post("[{\"nothing\":1}]", TOKEN).statusCode(400).body("detail", containsString("msys"));
    }
}
