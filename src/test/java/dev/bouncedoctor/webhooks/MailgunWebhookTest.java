package dev.bouncedoctor.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncedoctor.maillog.EventRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * POST /v1/webhooks/mailgun with Mailgun's documented payloads (src/test/resources/webhooks/mailgun, README there),
 * each signed as Mailgun signs: stored once per Mailgun event id with the event name as sent, and refused (401, nothing
 * stored) whenever the signature block is missing, wrong, stale or used before. Every test sends to addresses and event
 * ids of its own, since all Quarkus tests share one database.
 */
@QuarkusTest
@QuarkusTestResource(value = SendGridKeys.class, restrictToAnnotatedClass = false)
class MailgunWebhookTest {

    /** Decimals kept as written, so that a fixture's timestamp (and a test's odd one) is sent exactly as in the file. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String UNAUTHENTICATED = "urn:bounce-doctor:problem:webhook-unauthenticated";

    @ConfigProperty(name = "webhooks.mailgun.signing-key")
    String signingKey;

    /** A domain no other test uses. */
    private static String domain() {
        return "mg" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    /** A documented payload for its own recipient, its Mailgun event id made unique to this run. */
    private static ObjectNode fixture(String name, String recipient) {
        try (InputStream in = MailgunWebhookTest.class.getResourceAsStream("/webhooks/mailgun/" + name + ".json")) {
            ObjectNode root = (ObjectNode) JSON.readTree(in);
            ObjectNode data = (ObjectNode) root.get("event-data");
            data.put("recipient", recipient);
            data.put("id", data.get("id").asText() + "-" + UUID.randomUUID());
            return root;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String eventId(ObjectNode payload) {
        return payload.get("event-data").get("id").asText();
    }

    private static String hmac(String key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payload with a signature block as Mailgun makes it: timestamp, a fresh token, their HMAC under the key. */
    private static ObjectNode signed(ObjectNode payload, String key, long timestamp, String token) {
        ObjectNode signature = payload.putObject("signature");
        signature.put("timestamp", String.valueOf(timestamp));
        signature.put("token", token);
        signature.put("signature", hmac(key, timestamp + token));
        return payload;
    }

    private ObjectNode signed(ObjectNode payload) {
        return signed(payload, signingKey, Instant.now().getEpochSecond(), token());
    }

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    }

    private static ValidatableResponse post(Object body) {
        return given().contentType(ContentType.JSON).body(body instanceof ObjectNode node ? node.toString() : body)
                .when().post("/v1/webhooks/mailgun").then();
    }

    private static ValidatableResponse events(String recipient) {
        return given().queryParam("recipient", recipient).when().get("/v1/events").then().statusCode(200);
    }

    private static void refused(ValidatableResponse response) {
        response.statusCode(401).contentType("application/problem+json").body("type", equalTo(UNAUTHENTICATED))
                .body("status", equalTo(401));
    }

    /**
     * Each documented event, then what it means: the status it is filed under, whether it counted as undelivered
     * (failure true), as a delivery (false) or neither (null), the primary reason, and the recipient's state after it.
     * A temporary failure is a deferral (Mailgun keeps trying); an open, click, unsubscribe or acceptance never flags.
     */
    @ParameterizedTest(name = "{0}: {1} means {2}")
    @CsvSource(delimiter = '|', value = {
            // fixture             | reported     | status       | failure | reason       | flagged | suppressed | suppressedBy
            "accepted              | accepted     | queued       | null    | onhold       | false   | false      | ",
            "delivered             | delivered    | delivered    | false   | delivered    | false   | false      | ",
            "failed-permanent      | failed       | bounced      | true    | userunknown  | true    | true       | ",
            "failed-temporary      | failed       | deferred     | null    | mailboxfull  | false   | false      | ",
            "failed-suppress-bounce| failed       | bounced      | true    | suppressed   | true    | true       | mailgun",
            "opened                | opened       | opened       | null    | opened       | false   | false      | ",
            "clicked               | clicked      | clicked      | null    | clicked      | false   | false      | ",
            "unsubscribed          | unsubscribed | unsubscribed | null    | unsubscribed | false   | false      | ",
            "complained            | complained   | complained   | true    | feedback     | true    | true       | ",
            // Mailgun refused to send (a sandbox domain, recipient not authorised): the sender's set-up, yet the rules
            // count it as a failure of the address and flag it (rejected can flag): see the report of this change.
            "rejected              | rejected     | rejected     | true    | rejected     | true    | false      | "})
    void aDocumentedEventIsStoredOnceAsMailgunReportedIt(String fixture, String reported, String status, String failure, String reason,
                                                        boolean flagged, Boolean suppressed, String suppressedBy) {
        String recipient = fixture + "@" + domain();
        ObjectNode payload = fixture(fixture, recipient);
        String id = eventId(payload);
        post(signed(payload)).statusCode(200).contentType(ContentType.JSON)
                .body("provider", equalTo("mailgun")).body("received", equalTo(1)).body("stored", equalTo(1))
                .body("events", hasSize(1)).body("events[0].event.eventId", equalTo(id));
        events(recipient).body("total", equalTo(1))
                .body("items[0].eventId", equalTo(id))
                .body("items[0].provider", equalTo("mailgun"))
                .body("items[0].reportedStatus", equalTo(reported))
                .body("items[0].recipient", equalTo(recipient))
                .body("items[0].occurredAt", notNullValue());
        Fixtures.means(recipient, status, failure, reason, flagged, suppressed, suppressedBy);

        // Mailgun retries a call it saw fail, signed anew: the same event is not logged twice.
        post(signed(payload)).statusCode(200).body("received", equalTo(1)).body("stored", equalTo(0))
                .body("events[0].event.eventId", equalTo(id));
        events(recipient).body("total", equalTo(1));
    }

    @Test
    void engagementHandOffAndDeferralAfterAHardBounceNeverFlagNorCount() {
        String recipient = "engaged@" + domain();
        post(signed(fixture("failed-permanent", recipient))).statusCode(200).body("stored", equalTo(1))
                .body("events[0].recipient.flaggedInvalid", equalTo(true)).body("events[0].recipient.consecutiveFailures", equalTo(1));
        // Each later than the bounce (1521233195), in the order Mailgun would send them.
        List<String> later = List.of("accepted", "failed-temporary", "opened", "clicked", "unsubscribed");
        for (int i = 0; i < later.size(); i++) {
            ObjectNode payload = fixture(later.get(i), recipient);
            ((ObjectNode) payload.get("event-data")).put("timestamp", 1521233195L + 60L * (i + 1));
            Fixtures.leftTheBounceAlone(post(signed(payload)).statusCode(200).body("stored", equalTo(1)), 0);
        }
        Fixtures.stillFlaggedByTheBounceAlone(recipient, 1 + later.size());
    }

    @Test
    void aPermanentFailureForAnUnknownMailboxIsDiagnosedAndFlagsTheRecipient() {
        String recipient = "gone@" + domain();
        post(signed(fixture("failed-permanent", recipient))).statusCode(200)
                .body("events[0].event.reportedStatus", equalTo("failed"))
                .body("events[0].event.smtpCode", equalTo(550))
                .body("events[0].event.enhancedCode", equalTo("5.1.1"))
                .body("events[0].event.sender", equalTo("bob@sample.mailgun.org"))
                .body("events[0].event.occurredAt", equalTo("2018-03-16T20:46:35.375624Z"))
                .body("events[0].event.message", equalTo("severity: permanent; reason: bounce; 5.1.1 The email account that you tried "
                        + "to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces."))
                .body("events[0].diagnosis.diagnoses[0].reason", equalTo("userunknown"));
        given().when().get("/v1/recipients/" + recipient).then().statusCode(200)
                .body("recipient.flaggedInvalid", equalTo(true));
    }

    @Test
    void aFailureForAPreviouslyBouncedAddressKeepsMailgunsCodeAndIsSuppressed() {
        // Mailgun's own 605 goes in smtpCode: a provider code, taken with its provider (the normaliser accepts 600-699 then).
        String recipient = "bounced-before@" + domain();
        post(signed(fixture("failed-suppress-bounce", recipient))).statusCode(200).body("stored", equalTo(1))
                .body("events[0].event.reportedStatus", equalTo("failed"))
                .body("events[0].event.smtpCode", equalTo(605))
                .body("events[0].event.message", equalTo("severity: permanent; reason: suppress-bounce; Not delivering to previously bounced address"))
                .body("events[0].diagnosis.diagnoses[0].reason", equalTo("suppressed"))
                .body("events[0].recipient.suppressed", equalTo(true))
                .body("events[0].recipient.suppressedBy", equalTo("mailgun"));
    }

    @Test
    void aFailureForAPreviouslyBouncedAddressSaysWhyInItsMessage() {
        // What holds whatever the normaliser does with 605: the message is built from Mailgun's fields as the rules read it.
        MailgunWebhook webhook = new MailgunWebhook(Optional.of(signingKey), Duration.ofMinutes(5), JSON, null);
        ObjectNode payload = fixture("failed-suppress-bounce", "x@" + domain());
        List<EventRequest> events = webhook.events(new WebhookCall(Map.of(), payload.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, events.size());
        assertEquals("severity: permanent; reason: suppress-bounce; Not delivering to previously bounced address", events.get(0).message());
        assertEquals(605, events.get(0).smtpCode());
        assertEquals("failed", events.get(0).status());
        assertEquals("mailgun", events.get(0).provider());
    }

    @Test
    void aSignatureBlockWithAChangedTokenIsRefused() {
        // Mailgun signs timestamp and token only (not event-data): tampering shows in the signed fields.
        String recipient = "tampered@" + domain();
        ObjectNode payload = signed(fixture("delivered", recipient));
        ((ObjectNode) payload.get("signature")).put("token", token());
        refused(post(payload));
        events(recipient).body("total", equalTo(0));
    }

    @Test
    void aChangedSignatureIsRefused() {
        String recipient = "changed@" + domain();
        ObjectNode payload = signed(fixture("delivered", recipient));
        String signature = payload.get("signature").get("signature").asText();
        ((ObjectNode) payload.get("signature")).put("signature", (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1));
        refused(post(payload));
        events(recipient).body("total", equalTo(0));
    }

    @Test
    void aCallSignedWithAnotherKeyIsRefused() {
        String recipient = "wrong-key@" + domain();
        refused(post(signed(fixture("delivered", recipient), "key-someone-else", Instant.now().getEpochSecond(), token())));
        events(recipient).body("total", equalTo(0));
    }

    @Test
    void aStaleTimestampIsRefusedEvenWhenSigned() {
        String recipient = "stale@" + domain();
        refused(post(signed(fixture("delivered", recipient), signingKey, Instant.now().minusSeconds(10 * 60).getEpochSecond(), token())));
        refused(post(signed(fixture("delivered", recipient), signingKey, Instant.now().plusSeconds(10 * 60).getEpochSecond(), token())));
        events(recipient).body("total", equalTo(0));
    }

    @Test
    void aReplayedTokenIsRefused() {
        String first = "first@" + domain();
        String second = "second@" + domain();
        ObjectNode payload = signed(fixture("delivered", first));
        post(payload).statusCode(200).body("stored", equalTo(1));
        // The same signature block on another event: valid HMAC, fresh timestamp, but the token was used.
        ObjectNode replay = fixture("failed-permanent", second);
        replay.set("signature", payload.get("signature").deepCopy());
        refused(post(replay));
        events(second).body("total", equalTo(0));
        // And the very same call again.
        refused(post(payload));
    }

    @Test
    void aCallWithoutSignatureIsRefused() {
        String recipient = "unsigned@" + domain();
        ObjectNode payload = fixture("delivered", recipient);
        payload.remove("signature");
        refused(post(payload).body("errors.field", hasItem("signature")));
        ObjectNode partial = signed(fixture("delivered", recipient));
        ((ObjectNode) partial.get("signature")).remove("token");
        refused(post(partial));
        events(recipient).body("total", equalTo(0));
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequest() {
        post("{\"signature\": {").statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("body"));
        post("").statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("body"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"yesterday\"",
            "\"1e999999999\"",
            "1e999999999",
            "\"-1e-999999\"",
            "123456789012345678901234567890",
            "true"})
    void anEventTimeThatIsNoTimeIsABadRequestNamingMailgunsField(String timestamp) throws IOException {
        ObjectNode payload = fixture("delivered", "when@" + domain());
        ((ObjectNode) payload.get("event-data")).set("timestamp", JSON.readTree(timestamp));
        post(signed(payload)).statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("event-data.timestamp"));
    }

    @Test
    void anEventWithoutRecipientOrEventNameIsABadRequestNamingMailgunsField() {
        ObjectNode payload = fixture("delivered", "x@" + domain());
        ObjectNode data = (ObjectNode) payload.get("event-data");
        data.remove("recipient");
        data.remove("event");
        post(signed(payload)).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("event-data.recipient")).body("errors.field", hasItem("event-data.event"));
        ObjectNode noData = signed(fixture("delivered", "y@" + domain()));
        noData.remove("event-data");
        post(noData).statusCode(400).body("errors.field", hasItem("event-data"));
    }
}
