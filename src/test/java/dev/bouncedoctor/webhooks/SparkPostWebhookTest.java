package dev.bouncedoctor.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;
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

    @ParameterizedTest(name = "{0}")
    @CsvSource({"injection.json, injection", "delivery.json, delivery", "bounce.json, bounce", "delay.json, delay", "out-of-band.json, out_of_band",
            "policy-rejection.json, policy_rejection", "spam-complaint.json, spam_complaint", "open.json, open", "initial-open.json, initial_open",
            "click.json, click", "amp-open.json, amp_open", "amp-click.json, amp_click", "list-unsubscribe.json, list_unsubscribe",
            "link-unsubscribe.json, link_unsubscribe", "generation-failure.json, generation_failure", "generation-rejection.json, generation_rejection"})
    void eachDocumentedEventIsStoredOnceWithItsTypeAsSent(String name, String type) {
        String domain = Fixtures.domain();
        Fixture f = fixture(name, domain);
        post(f.body(), TOKEN).statusCode(200).body("provider", equalTo("sparkpost")).body("received", equalTo(1)).body("stored", equalTo(1));
        post(f.body(), TOKEN).statusCode(200).body("received", equalTo(1)).body("stored", equalTo(0));
        Fixtures.events("recipient@" + domain).body("items", hasSize(1)).body("items[0].reportedStatus", equalToIgnoringCase(type))
                .body("items[0].provider", equalTo("sparkpost")).body("items[0].eventId", equalTo(f.eventId()))
                .body("items[0].sender", equalTo("sender@" + domain)).body("items[0].occurredAt", containsString("2016-04-18T14:25:07"));
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
