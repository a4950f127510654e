package dev.bouncedoctor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.security.TestKey;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a page on another site could make a browser send: a body without a declared type (a
 * "simple" request needs no preflight) is refused; CORS is closed unless configured.
 */
@QuarkusTest
class CrossSiteTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aBodyWithoutContentTypeIsA415NamingTheTypesToSend() throws Exception {
        HttpResponse<String> diagnose = postWithoutType("v1/diagnoses", "{\"smtpCode\":550}");
        assertProblem(diagnose, 415, "urn:bounce-doctor:problem:content-type-required");
        assertTrue(diagnose.body().contains("application/json or message/rfc822"), diagnose.body());

        HttpResponse<String> ingest = postWithoutType("v1/events", "{\"recipient\":\"a@b.example\",\"status\":\"bounced\"}");
        assertProblem(ingest, 415, "urn:bounce-doctor:problem:content-type-required");
        assertTrue(ingest.body().contains("send Content-Type: application/json\""), ingest.body());

        HttpResponse<String> reload = postWithoutType("v1/rules/reload", "{}");
        assertProblem(reload, 415, "urn:bounce-doctor:problem:content-type-required");
        assertTrue(reload.body().contains("takes no body"), reload.body());
    }

    @Test
    void aTypeTheEndpointDoesNotTakeIsA415Too() {
        // text/plain is what a cross-site form can send without a preflight.
        given().contentType("text/plain").body("{\"smtpCode\":550}").post("/v1/diagnoses").then()
                .statusCode(415).contentType("application/problem+json");
    }

    @Test
    void corsIsClosedUnlessConfigured() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-api-key,content-type")
                .options("/v1/diagnoses").then().header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").get("/v1/suppressions?size=1").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    private HttpResponse<String> postWithoutType(String path, String body) throws IOException, InterruptedException {
        // java.net.http adds no Content-Type of its own, unlike RestAssured.
        HttpRequest request = HttpRequest.newBuilder(URI.create(root.toString()).resolve(path))
                .header("X-API-Key", TestKey.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(Optional.of("application/problem+json"), response.headers().firstValue("Content-Type"));
        assertTrue(response.body().contains("\"type\":\"" + type + "\""), response.body());
    }

    @Test
    void aJsonBodyWithItsTypeStillWorks() {
        given().contentType("application/json").body("{\"smtpCode\":550}").post("/v1/diagnoses").then().statusCode(200)
                .body("fact.smtpCode", equalTo(550));
    }
}
