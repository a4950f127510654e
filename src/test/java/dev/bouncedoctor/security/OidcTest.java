package dev.bouncedoctor.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * OIDC bearer tokens from a real (in-process) token issuer: the service verifies their signature
 * against the issuer's published keys, their expiry, and reads the roles from the configured claim
 * (Keycloak's realm_access/roles here). API keys keep working next to them.
 */
@QuarkusTest
@TestProfile(OidcTest.WithIssuer.class)
@TestKey.OwnCredentials
public class OidcTest {

    public static class WithIssuer implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestIssuer.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    // A database of its own, empty at start, and no configured key: as a fresh OIDC deployment.
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:oidc;DB_CLOSE_DELAY=-1",
                    "security.bootstrap-key", "",
                    "OIDC_ROLES_CLAIM", "realm_access/roles");
        }
    }

    private static final String FACT = "{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}";

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;
    @Inject
    ApiKeys keys;

    @Test
    void noFirstKeyIsMadeWhenOidcIsConfigured() {
        assertTrue(keys.find(FirstStart.FIRST_KEY_NAME).isEmpty(), "the identity provider is the way in");
    }

    @Test
    void aTokenWithTheRoleIsLetIn() {
        given().auth().oauth2(token("svc-diagnoser", null, List.of(Roles.DIAGNOSE), 300, false))
                .contentType(ContentType.JSON).body(FACT).post("/v1/diagnoses")
                .then().statusCode(200).body("diagnoses[0].reason", equalTo("userunknown"));
        given().auth().oauth2(token("svc-reader", null, List.of(Roles.READ), 300, false)).get("/q/openapi").then().statusCode(200);
    }

    @Test
    void aTokenWithoutTheRoleIsForbidden() {
        given().auth().oauth2(token("svc-reader", null, List.of(Roles.READ, "offline_access"), 300, false))
                .contentType(ContentType.JSON).body(FACT).post("/v1/diagnoses")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:bounce-doctor:problem:forbidden"));
    }

    @Test
    void expiredForgedAndMalformedTokensAreRefusedLikeNoToken() {
        String none = refused(given());
        assertEquals(none, refused(given().auth().oauth2(token("late", null, List.of(Roles.DIAGNOSE), -600, false))), "expired");
        assertEquals(none, refused(given().auth().oauth2(token("mallory", null, List.of(Roles.DIAGNOSE), 300, true))), "signed with a key the issuer does not publish");
        assertEquals(none, refused(given().auth().oauth2("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl")), "not signed by anyone");
        assertEquals(none, refused(given().auth().oauth2("bdk_" + "A".repeat(43))), "an unknown API key as a bearer value");
    }

    @Test
    void whoTookAnAddressOffTheBounceListIsTheTokensUser() {
        String address = "jane@oidc-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        given().auth().oauth2(token("svc-pipeline", null, List.of(Roles.INGEST), 300, false))
                .contentType(ContentType.JSON).body("{\"recipient\":\"" + address + "\",\"status\":\"bounced\",\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")
                .post("/v1/events").then().statusCode(201).body("recipient.suppressed", equalTo(true));
        given().auth().oauth2(token("6b1e3c0e-4a5f-4f0e-9d6b-2f7c1d0e9a11", "jane.operator", List.of(Roles.OPERATOR), 300, false))
                .delete("/v1/suppressions/" + address)
                .then().statusCode(200).body("suppressed", equalTo(false)).body("removedBy", equalTo("jane.operator"));
    }

    @Test
    void apiKeysWorkNextToTokens() {
        String key = keys.create("oidc-neighbour-" + UUID.randomUUID().toString().substring(0, 8), List.of(Roles.DIAGNOSE)).key();
        given().header("X-API-Key", key).contentType(ContentType.JSON).body(FACT).post("/v1/diagnoses").then().statusCode(200);
        given().auth().oauth2(key).contentType(ContentType.JSON).body(FACT).post("/v1/diagnoses").then().statusCode(200);
    }

    private static String refused(io.restassured.specification.RequestSpecification request) {
        Response r = request.contentType(ContentType.JSON).body(FACT).post("/v1/diagnoses");
        r.then().statusCode(401).contentType("application/problem+json").body("type", equalTo("urn:bounce-doctor:problem:unauthenticated"));
        return r.asString();
    }

    private String token(String subject, String preferredUsername, List<String> roles, long expiresIn, boolean forged) {
        StringBuilder ask = new StringBuilder("{\"sub\":\"" + subject + "\",\"expiresIn\":" + expiresIn + ",\"forged\":" + forged + ",\"roles\":[");
        ask.append(String.join(",", roles.stream().map(r -> "\"" + r + "\"").toList())).append("]");
        if (preferredUsername != null) {
            ask.append(",\"preferred_username\":\"").append(preferredUsername).append("\"");
        }
        ask.append("}");
        // Straight to the issuer, as a client of the identity provider would.
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(issuer + "/test-token"))
                    .POST(HttpRequest.BodyPublishers.ofString(ask.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return r.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
