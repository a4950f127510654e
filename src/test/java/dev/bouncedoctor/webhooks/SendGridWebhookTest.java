package dev.bouncedoctor.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/webhooks/sendgrid with SendGrid's documented event array (src/test/resources/webhooks/sendgrid, README
 * there), signed with the test key pair of {@link SendGridKeys} as SendGrid signs: every event stored once per
 * sg_event_id with SendGrid's event name (a bounce's type), and the call refused (401, nothing stored) when its
 * signature or timestamp does not hold. Addresses and event ids are made unique per run: the database is shared.
 */
@QuarkusTest
@QuarkusTestResource(value = SendGridKeys.class, restrictToAnnotatedClass = false)
class SendGridWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNAUTHENTICATED = "urn:bounce-doctor:problem:webhook-unauthenticated";
    /**
     * What a documented event means: the status it is filed under, failure "true" (counted undelivered), "false" (a
     * delivery) or "null" (neither), the primary reason, and the recipient's state after it (flagged, on the bounce list,
     * listed by SendGrid itself).
     */
    record Meaning(String reported, String status, String failure, String reason, boolean flagged, boolean suppressed, String suppressedBy) {
    }

    /** The documented events in the fixture's order, each with the status SendGrid reports (a bounce's type) and its meaning. */
    private static final List<Meaning> DOCUMENTED = List.of(
            new Meaning("processed", "queued", "null", "onhold", false, false, null),
            // "Bounced Address": SendGrid's own suppression list, so the bounce list names SendGrid.
            new Meaning("dropped", "dropped", "true", "suppressed", true, true, "sendgrid"),
            new Meaning("delivered", "delivered", "false", "delivered", false, false, null),
            new Meaning("deferred", "deferred", "null", "systemerror", false, false, null),
            new Meaning("bounce", "bounced", "true", "userunknown", true, true, null),
            // SendGrid's sample block says "500 unknown recipient" with classification Reputation: the text decides.
            new Meaning("blocked", "bounced", "true", "userunknown", true, true, null),
            new Meaning("open", "opened", "null", "opened", false, false, null),
            new Meaning("click", "clicked", "null", "clicked", false, false, null),
            new Meaning("spamreport", "complained", "true", "feedback", true, true, null),
            new Meaning("unsubscribe", "unsubscribed", "null", "unsubscribed", false, false, null),
            new Meaning("group_unsubscribe", "unsubscribed", "null", "unsubscribed", false, false, null),
            new Meaning("group_resubscribe", "subscribed", "null", "subscribed", false, false, null));
    private static final List<String> REPORTED = DOCUMENTED.stream().map(Meaning::reported).toList();

    private static String domain() {
        return "sg" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    /** The documented array, each event for an address of its own ("3-deferred@…") and with an sg_event_id unique to the run. */
    private static ArrayNode fixture(String domain) {
        try (InputStream in = SendGridWebhookTest.class.getResourceAsStream("/webhooks/sendgrid/events.json")) {
            ArrayNode events = (ArrayNode) JSON.readTree(in);
            String run = UUID.randomUUID().toString();
            for (int i = 0; i < events.size(); i++) {
                ObjectNode event = (ObjectNode) events.get(i);
                event.put("email", recipient(i, domain));
                event.put("sg_event_id", event.get("sg_event_id").asText() + "-" + run);
            }
            return events;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String recipient(int index, String domain) {
        return index + "-" + REPORTED.get(index) + "@" + domain;
    }

    private static byte[] bytes(JsonNode body) {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String now() {
        return String.valueOf(Instant.now().getEpochSecond());
    }

    private static RequestSpecification signed(byte[] body) {
        String timestamp = now();
        return given().contentType(ContentType.JSON).header(SendGridWebhook.TIMESTAMP_HEADER, timestamp)
                .header(SendGridWebhook.SIGNATURE_HEADER, SendGridKeys.sign(timestamp, body)).body(body);
    }

    private static ValidatableResponse post(RequestSpecification request) {
        return request.when().post("/v1/webhooks/sendgrid").then();
    }

    private static ValidatableResponse events(String recipient) {
        return given().queryParam("recipient", recipient).when().get("/v1/events").then().statusCode(200);
    }

    private static void refused(ValidatableResponse response) {
        response.statusCode(401).contentType("application/problem+json").body("type", equalTo(UNAUTHENTICATED))
                .body("status", equalTo(401));
    }

    @Test
    void everyDocumentedEventIsStoredOnceAsSendGridReportedIt() {
        String domain = domain();
        ArrayNode payload = fixture(domain);
        byte[] body = bytes(payload);
        ValidatableResponse answer = post(signed(body)).statusCode(200).contentType(ContentType.JSON)
                .body("provider", equalTo("sendgrid")).body("received", equalTo(REPORTED.size()))
                .body("stored", equalTo(REPORTED.size())).body("events", hasSize(REPORTED.size()));
        for (int i = 0; i < REPORTED.size(); i++) {
            String id = payload.get(i).get("sg_event_id").asText();
            answer.body("events[" + i + "].event.eventId", equalTo(id));
            events(recipient(i, domain)).body("total", equalTo(1))
                    .body("items[0].eventId", equalTo(id))
                    .body("items[0].provider", equalTo("sendgrid"))
                    .body("items[0].reportedStatus", equalTo(REPORTED.get(i)))
                    .body("items[0].occurredAt", equalTo("2017-12-15T00:59:29Z"));
            Meaning m = DOCUMENTED.get(i);
            Fixtures.means(recipient(i, domain), m.status(), m.failure(), m.reason(), m.flagged(), m.suppressed(), m.suppressedBy());
        }
        // SendGrid retries a batch it saw fail, signed anew: nothing of it is logged twice.
        post(signed(body)).statusCode(200).body("received", equalTo(REPORTED.size())).body("stored", equalTo(0));
        for (int i = 0; i < REPORTED.size(); i++) {
            events(recipient(i, domain)).body("total", equalTo(1));
        }
    }

    @Test
    void aBounceForAnUnknownRecipientIsDiagnosedAndFlagsTheRecipient() {
        String domain = domain();
        ArrayNode payload = fixture(domain);
        ArrayNode bounceOnly = JSON.createArrayNode().add(payload.get(4));
        post(signed(bytes(bounceOnly))).statusCode(200).body("stored", equalTo(1))
                .body("events[0].event.reportedStatus", equalTo("bounce"))
                .body("events[0].event.enhancedCode", equalTo("5.0.0"))
                .body("events[0].event.message", equalTo("500 unknown recipient; classification: Invalid Address"))
                .body("events[0].diagnosis.diagnoses[0].reason", equalTo("userunknown"));
        given().when().get("/v1/recipients/" + recipient(4, domain)).then().statusCode(200)
                .body("recipient.flaggedInvalid", equalTo(true));
    }

    /** Event {@code index} of the documented array for {@code recipient} at {@code epochSecond}. */
    private static ObjectNode event(ArrayNode documented, int index, String recipient, long epochSecond) {
        ObjectNode event = ((ObjectNode) documented.get(index)).deepCopy();
        event.put("email", recipient);
        event.put("timestamp", epochSecond);
        event.put("sg_event_id", "sg-" + UUID.randomUUID());
        return event;
    }

    @Test
    void engagementHandOffAndDeferralAfterAHardBounceNeverFlagNorCount() {
        String domain = domain();
        String recipient = "engaged@" + domain;
        ArrayNode documented = fixture(domain);
        long bounced = 1513299569L;
        post(signed(bytes(JSON.createArrayNode().add(event(documented, 4, recipient, bounced))))).statusCode(200)
                .body("events[0].recipient.flaggedInvalid", equalTo(true)).body("events[0].recipient.consecutiveFailures", equalTo(1));
        // processed, deferred, open, click, unsubscribe, group_unsubscribe, group_resubscribe: one batch, each later.
        int[] later = {0, 3, 6, 7, 9, 10, 11};
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < later.length; i++) {
            batch.add(event(documented, later[i], recipient, bounced + 60L * (i + 1)));
        }
        ValidatableResponse answer = post(signed(bytes(batch))).statusCode(200).body("stored", equalTo(later.length));
        for (int i = 0; i < later.length; i++) {
            Fixtures.leftTheBounceAlone(answer, i);
        }
        Fixtures.stillFlaggedByTheBounceAlone(recipient, 1 + later.length);
    }

    @Test
    void anOlderDeliveryArrivingAfterABounceLeavesTheFlagAndALaterOneClearsIt() {
        String domain = domain();
        String recipient = "ordered@" + domain;
        ArrayNode documented = fixture(domain);
        long t1 = 1513299569L;
        long t2 = t1 + 3600;
        long t3 = t2 + 3600;
        post(signed(bytes(JSON.createArrayNode().add(event(documented, 4, recipient, t2))))).statusCode(200).body("stored", equalTo(1));
        // SendGrid sends the delivery of an earlier message late: it is logged, but the bounce after it still decides.
        post(signed(bytes(JSON.createArrayNode().add(event(documented, 2, recipient, t1))))).statusCode(200).body("stored", equalTo(1))
                .body("events[0].event.status", equalTo("delivered"));
        Fixtures.events(recipient).body("total", equalTo(2));
        Fixtures.recipient(recipient).statusCode(200).body("recipient.flaggedInvalid", equalTo(true))
                .body("recipient.consecutiveFailures", equalTo(1));
        post(signed(bytes(JSON.createArrayNode().add(event(documented, 2, recipient, t3))))).statusCode(200).body("stored", equalTo(1));
        Fixtures.recipient(recipient).statusCode(200).body("recipient.flaggedInvalid", equalTo(false))
                .body("recipient.consecutiveFailures", equalTo(0));
    }

    @Test
    void aDeliveredEventWhoseResponseCarriesAUserUnknownCodeIsADeliveryAndNeverSuppresses() {
        // seed-000: the receiving server answered 550 5.1.1 yet SendGrid reports the mail delivered; the delivery decides.
        String domain = domain();
        String recipient = "delivered-550@" + domain;
        ObjectNode delivered = event(fixture(domain), 2, recipient, 1513299569L);
        delivered.put("response", "550 5.1.1 The email account that you tried to reach does not exist.");
        post(signed(bytes(JSON.createArrayNode().add(delivered)))).statusCode(200).body("stored", equalTo(1))
                .body("events[0].event.reportedStatus", equalTo("delivered"))
                .body("events[0].diagnosis.diagnoses[0].reason", equalTo("delivered"));
        Fixtures.means(recipient, "delivered", "false", "delivered", false, false, null);
        Fixtures.events(recipient).body("items[0].suppress", equalTo(false));
        Fixtures.undelivered(recipient).body("total", equalTo(0));
    }

    @Test
    void aDroppedEventKeepsSendGridsReason() {
        String domain = domain();
        ArrayNode dropped = JSON.createArrayNode().add(fixture(domain).get(1));
        post(signed(bytes(dropped))).statusCode(200)
                .body("events[0].event.reportedStatus", equalTo("dropped"))
                .body("events[0].event.message", equalTo("Bounced Address"))
                .body("events[0].diagnosis.diagnoses[0].reason", equalTo("suppressed"));
    }

    @Test
    void aTamperedBodyIsRefused() {
        String domain = domain();
        byte[] body = bytes(fixture(domain));
        RequestSpecification request = signed(body);
        // Signed for the documented batch, sent with one address changed.
        request.body(new String(body, StandardCharsets.UTF_8).replace(recipient(2, domain), "someone-else@" + domain));
        refused(post(request));
        events(recipient(0, domain)).body("total", equalTo(0));
        events("someone-else@" + domain).body("total", equalTo(0));
    }

    @Test
    void aCallSignedWithAnotherKeyIsRefused() {
        String domain = domain();
        byte[] body = bytes(fixture(domain));
        String timestamp = now();
        String foreign = SendGridKeys.sign(SendGridKeys.newKeyPair().getPrivate(), timestamp, body);
        refused(post(given().contentType(ContentType.JSON).header(SendGridWebhook.TIMESTAMP_HEADER, timestamp)
                .header(SendGridWebhook.SIGNATURE_HEADER, foreign).body(body)));
        events(recipient(0, domain)).body("total", equalTo(0));
    }

    @Test
    void aSignatureForAnotherTimestampIsRefused() {
        String domain = domain();
        byte[] body = bytes(fixture(domain));
        String timestamp = now();
        String signature = SendGridKeys.sign(timestamp, body);
        refused(post(given().contentType(ContentType.JSON).header(SendGridWebhook.TIMESTAMP_HEADER, String.valueOf(Long.parseLong(timestamp) + 1))
                .header(SendGridWebhook.SIGNATURE_HEADER, signature).body(body)));
        events(recipient(0, domain)).body("total", equalTo(0));
    }

    @Test
    void aStaleTimestampIsRefusedEvenWhenSigned() {
        String domain = domain();
        byte[] body = bytes(fixture(domain));
        for (long offset : new long[] {-10 * 60, 10 * 60}) {
            String timestamp = String.valueOf(Instant.now().getEpochSecond() + offset);
            refused(post(given().contentType(ContentType.JSON).header(SendGridWebhook.TIMESTAMP_HEADER, timestamp)
                    .header(SendGridWebhook.SIGNATURE_HEADER, SendGridKeys.sign(timestamp, body)).body(body)));
        }
        events(recipient(0, domain)).body("total", equalTo(0));
    }

    @Test
    void aCallWithoutItsSignatureHeadersIsRefused() {
        String domain = domain();
        byte[] body = bytes(fixture(domain));
        String timestamp = now();
        String signature = SendGridKeys.sign(timestamp, body);
        refused(post(given().contentType(ContentType.JSON).body(body)).body("errors.field", hasItem("signature")));
        refused(post(given().contentType(ContentType.JSON).header(SendGridWebhook.TIMESTAMP_HEADER, timestamp).body(body)));
        refused(post(given().contentType(ContentType.JSON).header(SendGridWebhook.SIGNATURE_HEADER, signature).body(body)));
        refused(post(given().contentType(ContentType.JSON).header(SendGridWebhook.TIMESTAMP_HEADER, timestamp)
                .header(SendGridWebhook.SIGNATURE_HEADER, "not base64!").body(body)));
        refused(post(given().contentType(ContentType.JSON).header(SendGridWebhook.TIMESTAMP_HEADER, timestamp)
                .header(SendGridWebhook.SIGNATURE_HEADER, "AAAA").body(body)));
        events(recipient(0, domain)).body("total", equalTo(0));
    }

    @Test
    void aPayloadThatIsNotSendGridsArrayIsABadRequestNamingTheField() {
        post(signed("{\"email\":\"a@b.example\"}".getBytes(StandardCharsets.UTF_8))).statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("body"));
        post(signed("[{".getBytes(StandardCharsets.UTF_8))).statusCode(400).body("errors.field", hasItem("body"));
        String domain = domain();
        ArrayNode events = fixture(domain);
        ((ObjectNode) events.get(3)).remove("email");
        ((ObjectNode) events.get(5)).remove("event");
        ((ObjectNode) events.get(6)).put("timestamp", "yesterday");
        post(signed(bytes(events))).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("[3].email")).body("errors.field", hasItem("[5].event"))
                .body("errors.field", hasItem("[6].timestamp"));
        // All or nothing: the valid events of the refused batch were not stored either.
        events(recipient(0, domain)).body("total", equalTo(0));
        List<String> none = new ArrayList<>();
        post(signed(bytes(JSON.createArrayNode()))).statusCode(200).body("received", equalTo(0)).body("stored", equalTo(0))
                .body("events", equalTo(none));
    }

    @Test
    void anEventWithoutSenderOrTextIsStillStored() {
        String domain = domain();
        ArrayNode processed = JSON.createArrayNode().add(fixture(domain).get(0));
        post(signed(bytes(processed))).statusCode(200).body("events[0].event.sender", equalTo(null))
                .body("events[0].event.message", equalTo(null)).body("events[0].event.id", notNullValue());
    }
}
