package dev.bouncedoctor.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every HTTP endpoint against every kind of caller: with a key holding the endpoint's role it gets
 * through (a validation 4xx is fine, a 5xx never); without credentials it is a 401 problem; with a
 * key holding every other role, a 403 problem. Probes and metrics are open.
 */
@QuarkusTest
@TestKey.OwnCredentials
class RoleMatrixTest {

    /** One endpoint: a minimal valid request and the role it needs ({@code null}: open to anyone). */
    record Endpoint(String method, String path, String contentType, String body, String role) {
        @Override
        public String toString() {
            return method + " " + path + (contentType == null ? "" : " (" + contentType + ")") + " needs " + (role == null ? "nothing" : role);
        }
    }

    private static final String DOMAIN = "roles-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    private static final String JSON = "application/json";
    private static final String MAIL = "From: MAILER-DAEMON@mx.example.org\r\nTo: billing@acme.test\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n"
            + "<jane@" + DOMAIN + ">: host mx.example.org said: 550 5.1.1 user unknown\r\n";

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("POST", "/v1/diagnoses", JSON, "{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}", Roles.DIAGNOSE),
                new Endpoint("POST", "/v1/diagnoses", "message/rfc822", MAIL, Roles.DIAGNOSE),
                new Endpoint("POST", "/v1/diagnoses/batch", JSON, "[{\"smtpCode\":550}]", Roles.DIAGNOSE),
                // The benchmark's baseline: off here (404), yet closed like the endpoint it stands beside.
                new Endpoint("POST", "/v1/diagnoses/no-rules", JSON, "{\"smtpCode\":550}", Roles.DIAGNOSE),
                new Endpoint("POST", "/v1/events", JSON, "{\"recipient\":\"ann@" + DOMAIN + "\",\"status\":\"delivered\"}", Roles.INGEST),
                new Endpoint("POST", "/v1/events/batch", JSON, "[{\"recipient\":\"bob@" + DOMAIN + "\",\"status\":\"delivered\"}]", Roles.INGEST),
                new Endpoint("POST", "/v1/addresses/check", JSON, "{\"address\":\"ann@" + DOMAIN + "\"}", Roles.DIAGNOSE),
                new Endpoint("GET", "/v1/events?size=1", null, null, Roles.READ),
                new Endpoint("GET", "/v1/events/1", null, null, Roles.READ),
                new Endpoint("GET", "/v1/recipients/ann@" + DOMAIN, null, null, Roles.READ),
                new Endpoint("GET", "/v1/suppressions?size=1", null, null, Roles.READ),
                new Endpoint("DELETE", "/v1/suppressions/ann@" + DOMAIN, null, null, Roles.OPERATOR),
                new Endpoint("GET", "/v1/senders/billing@" + DOMAIN + "/diagnoses", null, null, Roles.READ),
                new Endpoint("GET", "/v1/rules", null, null, Roles.READ),
                new Endpoint("POST", "/v1/rules/validate", JSON,
                        "{\"files\":{\"classify/empty.drl\":\"package bouncedoctor.classify;\\n\"},\"overlay\":false}", Roles.RULE_AUTHOR),
                new Endpoint("POST", "/v1/rules/reload", null, null, Roles.RULE_AUTHOR),
                new Endpoint("POST", "/v1/rules/preview", JSON,
                        "{\"files\":{\"classify/empty.drl\":\"package bouncedoctor.classify;\\n\"},\"events\":1}", Roles.RULE_AUTHOR),
                new Endpoint("GET", "/v1/keys", null, null, Roles.ADMIN),
                new Endpoint("GET", "/v1/keys/bootstrap", null, null, Roles.ADMIN),
                new Endpoint("POST", "/v1/keys", JSON, "{\"name\":\"matrix-made-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"roles\":[\"read\"]}", Roles.ADMIN),
                new Endpoint("DELETE", "/v1/keys/no-such-key", null, null, Roles.ADMIN),
                new Endpoint("GET", "/q/openapi", null, null, Roles.READ),
                new Endpoint("GET", "/q/openapi.json", null, null, Roles.READ),
                new Endpoint("GET", "/q/openapi.yaml", null, null, Roles.READ),
                new Endpoint("GET", "/q/openapi.yml", null, null, Roles.READ),
                new Endpoint("GET", "/q/swagger-ui/", null, null, Roles.READ),
                new Endpoint("GET", "/q/health/ready", null, null, null),
                new Endpoint("GET", "/q/health/live", null, null, null),
                new Endpoint("GET", "/q/health/started", null, null, null),
                new Endpoint("GET", "/q/metrics", null, null, null));
    }

    /** Keys made once for this class: one holding only a role, one holding every role but it. */
    private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

    @Inject
    ApiKeys keys;

    private String only(String role) {
        return KEYS.computeIfAbsent("only " + role, k -> keys.create("matrix-only-" + role + "-" + suffix(), List.of(role)).key());
    }

    private String allBut(String role) {
        return KEYS.computeIfAbsent("all but " + role, k -> keys.create("matrix-all-but-" + role + "-" + suffix(),
                Roles.ALL.stream().filter(r -> !r.equals(role)).toList()).key());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void withTheRoleItGetsThrough(Endpoint e) {
        Response r = send(e, e.role() == null ? null : only(e.role()));
        int status = r.statusCode();
        assertTrue(status != 401 && status != 403 && status < 500, e + " with its role answered " + status + ": " + r.asString());
        if (e.role() == null) {
            assertEquals(200, status, e + " is open");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void withoutCredentialsItIsA401Problem(Endpoint e) {
        Response r = send(e, null);
        if (e.role() == null) {
            assertEquals(200, r.statusCode(), e + " is open");
            return;
        }
        r.then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:bounce-doctor:problem:unauthenticated"))
                .body("status", equalTo(401));
        List<String> challenges = r.headers().getValues("WWW-Authenticate");
        assertTrue(challenges.stream().anyMatch(v -> v.startsWith("Bearer")) && challenges.stream().anyMatch(v -> v.startsWith("ApiKey") && v.contains("X-API-Key")),
                "both ways in are offered: " + challenges);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void withEveryOtherRoleItIsA403Problem(Endpoint e) {
        if (e.role() == null) {
            return;
        }
        send(e, allBut(e.role())).then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:bounce-doctor:problem:forbidden"))
                .body("detail", org.hamcrest.Matchers.containsString(e.role()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aKeyAsABearerTokenCountsTheSame(Endpoint e) {
        if (e.role() == null || !e.path().startsWith("/v1/") || !e.method().equals("GET")) {
            return;
        }
        Response r = request(e).header("Authorization", "Bearer " + only(e.role())).when().request(e.method(), e.path());
        assertTrue(r.statusCode() != 401 && r.statusCode() != 403 && r.statusCode() < 500, e + " answered " + r.statusCode());
    }

    @org.junit.jupiter.api.Test
    void theOpenApiDocumentOffersBothWaysIn() {
        given().header("X-API-Key", only(Roles.READ)).get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes.apiKey.type", equalTo("apiKey"))
                .body("components.securitySchemes.apiKey.in", equalTo("header"))
                .body("components.securitySchemes.apiKey.name", equalTo("X-API-Key"))
                .body("components.securitySchemes.bearer.type", equalTo("http"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("security.collect { it.keySet() }.flatten()", hasItem("apiKey"))
                .body("security.collect { it.keySet() }.flatten()", hasItem("bearer"));
    }

    private static Response send(Endpoint e, String key) {
        RequestSpecification r = request(e);
        if (key != null) {
            r.header("X-API-Key", key);
        }
        return r.when().request(e.method(), e.path());
    }

    private static RequestSpecification request(Endpoint e) {
        RequestSpecification r = given().redirects().follow(false);
        if (e.contentType() != null) {
            r.contentType(e.contentType()).body(e.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return r;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
