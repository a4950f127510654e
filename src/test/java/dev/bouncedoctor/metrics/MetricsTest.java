package dev.bouncedoctor.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** After a few diagnoses, /q/metrics counts them by reason and category, the rules that fired, reloads and request latency. */
@QuarkusTest
class MetricsTest {

    private static final String UNKNOWN_USER = "{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}";
    private static final String FULL_MAILBOX = "{\"smtpCode\":552,\"enhancedCode\":\"5.2.2\"}";

    @Test
    void diagnosesAreCountedByReasonAndCategory() {
        String userUnknown = "bouncedoctor_diagnoses_total{category=\"invalid-email\",primary=\"true\",reason=\"userunknown\"}";
        String mailboxFull = "bouncedoctor_diagnoses_total{category=\"mailbox-error\",primary=\"true\",reason=\"mailboxfull\"}";
        double unknownBefore = value(userUnknown).orElse(0);
        double fullBefore = value(mailboxFull).orElse(0);

        diagnose(UNKNOWN_USER);
        diagnose(UNKNOWN_USER);
        diagnose(FULL_MAILBOX);

        assertEquals(unknownBefore + 2, value(userUnknown).orElseThrow());
        assertEquals(fullBefore + 1, value(mailboxFull).orElseThrow());
    }

    /** Every way in counts: a raw mail's recipients, a batch's facts and a logged event, not only a single JSON fact. */
    @Test
    void diagnosesOfRawMailsBatchesAndEventsAreCounted() throws java.io.IOException {
        String userUnknown = "bouncedoctor_diagnoses_total{category=\"invalid-email\",primary=\"true\",reason=\"userunknown\"}";
        double before = value(userUnknown).orElse(0);
        // A Postfix DSN for one unknown user (the corpus mail the README shows).
        byte[] mail = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("src/test/resources/corpus/sisimai/maildir/bsd/lhost-postfix-13.eml"));
        int recipients = given().contentType("message/rfc822").body(mail).post("/v1/diagnoses")
                .then().statusCode(200).body("reports[0].diagnoses[0].reason", org.hamcrest.Matchers.equalTo("userunknown"))
                .extract().path("reports.findAll { it.diagnoses[0].reason == 'userunknown' }.size()");
        assertTrue(recipients > 0);
        assertEquals(before + recipients, value(userUnknown).orElseThrow(), "the raw mail's recipients");
        given().contentType(ContentType.JSON).body("[" + UNKNOWN_USER + "," + UNKNOWN_USER + "]").post("/v1/diagnoses/batch").then().statusCode(200);
        assertEquals(before + recipients + 2, value(userUnknown).orElseThrow(), "the batch's facts");
        given().contentType(ContentType.JSON).body("{\"recipient\":\"counted@metrics.example\",\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")
                .post("/v1/events").then().statusCode(201);
        assertEquals(before + recipients + 2 + 1, value(userUnknown).orElseThrow(), "the logged event");
    }

    @Test
    void theRulesThatFiredAreCounted() {
        String rule = given().contentType(ContentType.JSON).body(UNKNOWN_USER).post("/v1/diagnoses")
                .then().statusCode(200).extract().path("diagnoses[0].rule");
        String series = "bouncedoctor_rules_fired_total{rule=\"" + rule + "\"}";
        double before = value(series).orElseThrow();
        diagnose(UNKNOWN_USER);
        assertEquals(before + 1, value(series).orElseThrow());
    }

    @Test
    void reloadsAreCountedByOutcome() {
        String accepted = "bouncedoctor_rules_reloads_total{outcome=\"accepted\"}";
        double before = value(accepted).orElseThrow();
        given().post("/v1/rules/reload").then().statusCode(200);
        assertEquals(before + 1, value(accepted).orElseThrow());
        assertTrue(value("bouncedoctor_rules_reloads_total{outcome=\"refused\"}").isPresent(), "refusals are reported even while there are none");
    }

    @Test
    void theServedVersionAndRequestLatencyAreExposed() {
        String version = given().get("/v1/rules").then().extract().path("version");
        diagnose(FULL_MAILBOX);
        String metrics = metrics();
        assertEquals(1.0, value(metrics, "bouncedoctor_rule_set_info{version=\"" + version + "\"}").orElseThrow());
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                && l.contains("method=\"POST\"") && l.contains("uri=\"/v1/diagnoses\"") && l.contains("status=\"200\"")), "request count and latency of POST /v1/diagnoses");
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_bucket{") && l.contains("uri=\"/v1/diagnoses\"")),
                "latency as a histogram");
    }

    private static void diagnose(String fact) {
        given().contentType(ContentType.JSON).body(fact).post("/v1/diagnoses").then().statusCode(200);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static OptionalDouble value(String series) {
        return value(metrics(), series);
    }

    /** The sample of exactly this series (name and all its labels, sorted as Prometheus prints them). */
    private static OptionalDouble value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim().split(" ")[0])).findFirst();
    }
}
