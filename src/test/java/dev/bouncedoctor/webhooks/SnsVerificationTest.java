package dev.bouncedoctor.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.EventRequest;
import dev.bouncedoctor.model.InvalidFactException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SNS checks one by one, without starting the service: the webhook built by hand against the same stand-in for SNS,
 * for what the shared test configuration does not set (a topic allow-list) or the HTTP tests need not repeat.
 */
class SnsVerificationTest {

    private static final SnsEndpoint SNS = new SnsEndpoint();
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:bounce-doctor-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String pattern;

    @BeforeAll
    static void start() {
        pattern = SNS.start().get("webhooks.ses.url-pattern");
    }

    @AfterAll
    static void stop() {
        SNS.stop();
    }

    private static SesWebhook webhook(List<String> topics) {
        return new SesWebhook(JSON, true, pattern, Optional.of(topics), Duration.ofMinutes(5));
    }

    private static WebhookCall call(Map<String, String> fields) {
        return new WebhookCall(Map.of(), SnsEndpoint.json(fields).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> bounce(Instant at) {
        return SnsEndpoint.notification(UUID.randomUUID().toString(), Fixtures.load("ses/event-bounce.json", "unit.example"), at);
    }

    @Test
    void onlyTheAllowedTopicsAreTaken() {
        WebhookCall c = call(SnsEndpoint.signed(bounce(Instant.now()), "2"));
        webhook(List.of(TOPIC)).verify(c);
        var refused = assertThrows(WebhookExceptions.Unauthenticated.class, () -> webhook(List.of("arn:aws:sns:us-east-1:1:other")).verify(c));
        assertTrue(refused.getMessage().contains("topic"), refused.getMessage());
    }

    @Test
    void aNotificationWithoutSubjectIsSignedWithoutIt() {
        Map<String, String> fields = bounce(Instant.now());
        fields.remove("Subject");
        SesWebhook ses = webhook(List.of());
        WebhookCall c = call(SnsEndpoint.signed(fields, "1"));
        ses.verify(c);
        List<EventRequest> events = ses.events(c);
        assertEquals(1, events.size());
        assertEquals("Permanent", events.get(0).status());
        assertEquals("General; smtp; 550 5.1.1 user unknown", events.get(0).message());
        assertEquals("5.1.1", events.get(0).enhancedCode());
    }

    @Test
    void anUnknownSignatureVersionOrNoSignatureIsRefused() {
        Map<String, String> signed = new LinkedHashMap<>(SnsEndpoint.signed(bounce(Instant.now()), "2"));
        signed.put("SignatureVersion", "3");
        assertThrows(WebhookExceptions.Unauthenticated.class, () -> webhook(List.of()).verify(call(signed)));
        signed.put("SignatureVersion", "2");
        signed.remove("Signature");
        assertThrows(WebhookExceptions.Unauthenticated.class, () -> webhook(List.of()).verify(call(signed)));
        signed.put("Signature", "not base64 at all!");
        assertThrows(WebhookExceptions.Unauthenticated.class, () -> webhook(List.of()).verify(call(signed)));
    }

    @Test
    void aTimestampFarInTheFutureIsRefused() {
        WebhookCall c = call(SnsEndpoint.signed(bounce(Instant.now().plus(1, ChronoUnit.HOURS)), "2"));
        assertThrows(WebhookExceptions.Unauthenticated.class, () -> webhook(List.of()).verify(c));
    }

    @Test
    void aCertificateThatCannotBeFetchedIsUnavailableNotRefused() {
        Map<String, String> fields = bounce(Instant.now());
        fields.put("SigningCertURL", SnsEndpoint.url("/missing-" + UUID.randomUUID() + ".pem"));
        WebhookCall c = call(SnsEndpoint.signed(fields, "2"));
        assertThrows(WebhookUnavailable.class, () -> webhook(List.of()).verify(c));
    }

    @Test
    void anUnsubscribeConfirmationCarriesNoEventAndIsNotConfirmed() {
        String token = "unsub-" + UUID.randomUUID();
        Map<String, String> fields = SnsEndpoint.subscriptionConfirmation(UUID.randomUUID().toString(), token, Instant.now());
        fields.put("Type", "UnsubscribeConfirmation");
        SesWebhook ses = webhook(List.of());
        WebhookCall c = call(SnsEndpoint.signed(fields, "2"));
        ses.verify(c);
        assertTrue(ses.events(c).isEmpty());
        assertFalse(SnsEndpoint.seen().stream().anyMatch(s -> s.contains(token)), SnsEndpoint.seen().toString());
    }

    @Test
    void aConfirmationWhoseSubscribeUrlIsNoSnsHostIsRefusedAndNotFetched() {
        String token = "foreign-" + UUID.randomUUID();
        Map<String, String> fields = SnsEndpoint.subscriptionConfirmation(UUID.randomUUID().toString(), token, Instant.now());
        fields.put("SubscribeURL", fields.get("SubscribeURL").replace("127.0.0.1", "localhost"));
        assertThrows(WebhookExceptions.Unauthenticated.class, () -> webhook(List.of()).verify(call(SnsEndpoint.signed(fields, "2"))));
        assertFalse(SnsEndpoint.seen().stream().anyMatch(s -> s.contains(token)), SnsEndpoint.seen().toString());
    }

    @Test
    void aLongEventIdIsADigestOfItselfAndStaysTheSame() {
        String local = "a".repeat(180);
        String message = Fixtures.load("ses/event-delivery.json", "unit.example").replace("recipient@unit.example", local + "@unit.example");
        List<EventRequest> first = SesEvents.of(UUID.nameUUIDFromBytes(new byte[] {1}).toString(), tree(message));
        List<EventRequest> again = SesEvents.of(UUID.nameUUIDFromBytes(new byte[] {1}).toString(), tree(message));
        assertTrue(first.get(0).eventId().length() <= 200, first.get(0).eventId());
        assertTrue(first.get(0).eventId().startsWith("sha256:"), first.get(0).eventId());
        assertEquals(first.get(0).eventId(), again.get(0).eventId());
    }

    @Test
    void aNotificationNamingNoRecipientIsABadRequest() {
        assertThrows(InvalidFactException.class, () -> SesEvents.of("m", tree("{\"eventType\":\"Bounce\",\"bounce\":{},\"mail\":{}}")));
    }

    private static JsonNode tree(String json) {
        return ProviderJson.read(JSON, "Message", json);
    }
}
