package dev.bouncedoctor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests a client should never send, each answered with a 4xx problem that says what to fix, never a 500. */
@QuarkusTest
class HostileInputTest {

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "application/json, text/plain", "text/plain", "application/xml"})
    void aBodyOfAnotherTypeIs415(String type) {
        given().header("Content-Type", type).body("{\"smtpCode\":550}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/diagnoses")
                .then().statusCode(415).contentType("application/problem+json");
    }

    /** Found by FuzzTest: a field given twice failed inside Jackson with a 500 on a record-bound body. */
    @Test
    void aFieldGivenTwiceIsMalformedJson() {
        given().contentType(ContentType.JSON).body("{\"address\":\"a@b.example\",\"address\":\"c@d.example\"}").post("/v1/addresses/check")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("address"));
        given().contentType(ContentType.JSON).body("{\"smtpCode\":550,\"smtpCode\":552}").post("/v1/diagnoses")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void trailingContentAfterTheJsonIsRefused() {
        given().contentType(ContentType.JSON).body("{\"smtpCode\":550} {\"smtpCode\":552}").post("/v1/diagnoses")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"page=x", "size=1.5", "page=4294968&size=500", "page=-1", "size=0", "undelivered=maybe", "page=99999999999999999999"})
    void aPagingParameterThatIsNoPageIs400(String query) {
        given().get("/v1/events?" + query).then().statusCode(400).contentType("application/problem+json");
        if (!query.startsWith("undelivered")) {
            given().get("/v1/suppressions?" + query).then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void anEventIdThatIsNoNumberIs400() {
        given().get("/v1/events/abc").then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("id"));
        given().get("/v1/events/0").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anEventBatchOverItsLimitIs413() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            body.append(i == 0 ? "" : ",").append("{}");
        }
        given().contentType(ContentType.JSON).body(body.append("]").toString()).post("/v1/events/batch")
                .then().statusCode(413).contentType("application/problem+json").body("detail", containsString("500"));
    }

    @Test
    void aBatchOverItsLimitIsRefusedBeforeItIsRead() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 200_000; i++) {
            body.append(i == 0 ? "" : ",").append("{}");
        }
        body.append("]");
        given().contentType(ContentType.JSON).body(body.toString()).post("/v1/diagnoses/batch")
                .then().statusCode(413).contentType("application/problem+json")
                .body("errors.field", hasItem("body")).body("detail", containsString("500"));
    }

    /** Each endpoint reads at most its own size: one fact is small, so a body that declares more is refused unread. */
    @Test
    void aDeclaredBodyOverTheEndpointsLimitIs413NamingTheLimit() {
        String padded = " ".repeat(600 * 1024) + "{\"smtpCode\":550}";
        given().contentType(ContentType.JSON).body(padded).post("/v1/diagnoses")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("limits.body.fact")).body("errors.field", hasItem("body"));
    }

    /**
     * A chunked body says its size only at its end: it is counted as it is read and refused at the limit, with the same
     * problem (it was an empty 413 and a logged error, and a long string was a 400 from the JSON reader).
     */
    @Test
    void aChunkedBodyPastTheLimitIs413AsItIsRead() throws Exception {
        java.net.http.HttpResponse<String> fact = chunked("/v1/diagnoses", " ".repeat(600 * 1024) + "{\"smtpCode\":550}");
        assertEquals(413, fact.statusCode(), fact.body());
        assertTrue(fact.body().contains("limits.body.fact"), fact.body());
        // 26 MB of a batch: past limits.body.batch.
        java.net.http.HttpResponse<String> batch = chunked("/v1/diagnoses/batch", " ".repeat(26 * 1024 * 1024) + "[{}]");
        assertEquals(413, batch.statusCode(), batch.body());
        assertTrue(batch.body().contains("limits.body.batch"), batch.body());
        assertEquals("application/problem+json", batch.headers().firstValue("Content-Type").orElse(""));
        // A string longer than any field takes, inside a batch the body limit allows: refused as it is read, not buffered whole.
        java.net.http.HttpResponse<String> string = chunked("/v1/diagnoses/batch", "[{\"message\":\"" + "x".repeat(2_100_000) + "\"}]");
        assertEquals(413, string.statusCode(), string.body());
        assertTrue(string.body().contains("longer than any field"), string.body());
    }

    private static java.net.http.HttpResponse<String> chunked(String path, String body) throws Exception {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // A publisher from a stream has no length: the client sends it chunked.
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + path))
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/json").header("X-API-Key", dev.bouncedoctor.security.TestKey.KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build();
        return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** Lower-casing with Unicode's context rules was quadratic on capital sigmas: seconds per request. */
    @ParameterizedTest
    @ValueSource(strings = {"Σ", "İ", "ΣA"})
    void aLongRunOfSpecialCasedLettersIsDiagnosedAtOnce(String letters) {
        given().contentType(ContentType.JSON).body(Map.of("message", letters.repeat(19_000 / letters.length())))
                .post("/v1/diagnoses")
                .then().statusCode(200).time(lessThan(5_000L));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"status\": \"SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS\", \"smtpCode\": 550}|status",
            "{\"provider\": \"PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP\", \"smtpCode\": 550}|provider",
            "{\"status\": \"bou\\u0000nced\"}|status",
            "{\"message\": \"550 no\\u0000such user\"}|message",
            "{\"recipient\": \"ja\\u0000ne@example.com\", \"smtpCode\": 550}|recipient",
            "{\"occurredAt\": \"+300000-01-01T00:00:00Z\", \"smtpCode\": 550}|occurredAt",
            "{\"occurredAt\": \"-5000-01-01T00:00:00Z\", \"smtpCode\": 550}|occurredAt"})
    void aValueTheLogCannotStoreIs400NamingItsField(String bodyAndField) {
        String body = bodyAndField.substring(0, bodyAndField.lastIndexOf('|'));
        String field = bodyAndField.substring(bodyAndField.lastIndexOf('|') + 1);
        given().contentType(ContentType.JSON).body(body).post("/v1/diagnoses")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field));
        String event = body.contains("recipient") ? body : body.replace("{", "{\"recipient\": \"long@hostile.example\", ");
        given().contentType(ContentType.JSON).body(event).post("/v1/events")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field));
    }

    @Test
    void anAddressLongerThanAnAddressCanBeIs400() {
        String local = "a".repeat(64);
        String longest = local + "@" + ("d".repeat(60) + ".").repeat(4) + "example";
        given().contentType(ContentType.JSON).body(Map.of("recipient", "x".repeat(400) + longest, "smtpCode", 550)).post("/v1/events")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("recipient"));
    }

    @Test
    void anEventIdReusedForAnotherEventIs409NamingWhatDiffers() {
        String first = "{\"eventId\": \"hostile-reuse-1\", \"recipient\": \"first@hostile.example\", \"smtpCode\": 550, \"message\": \"550 5.1.1 no such user\"}";
        given().contentType(ContentType.JSON).body(first).post("/v1/events").then().statusCode(anyOf(equalTo(201), equalTo(202)));
        given().contentType(ContentType.JSON).body(first).post("/v1/events").then().statusCode(200);
        given().contentType(ContentType.JSON).body(first.replace("first@", "second@")).post("/v1/events")
                .then().statusCode(409).contentType("application/problem+json").body("errors.field", hasItem("recipient"));
    }

    @Test
    void aBatchIsStoredWholeOrNotAtAll() {
        given().contentType(ContentType.JSON)
                .body("{\"eventId\": \"hostile-batch-taken\", \"recipient\": \"taken@hostile.example\", \"smtpCode\": 550}")
                .post("/v1/events").then().statusCode(anyOf(equalTo(201), equalTo(202)));
        String batch = "[{\"recipient\": \"batch-first@hostile.example\", \"smtpCode\": 550},"
                + " {\"eventId\": \"hostile-batch-taken\", \"recipient\": \"someone-else@hostile.example\", \"smtpCode\": 550}]";
        given().contentType(ContentType.JSON).body(batch).post("/v1/events/batch")
                .then().statusCode(409).contentType("application/problem+json").body("errors.field", hasItem("[1].recipient"));
        given().get("/v1/events?recipient=batch-first@hostile.example").then().statusCode(200).body("total", equalTo(0));
    }

    /** A text on which a rule's regular expression overflows the stack: the rules failed, the request did not. */
    @Test
    void aRuleThatOverflowsOnAnInputIsNot500() {
        String message = "x does not exist 550 " + "a.".repeat(3000) + "b";
        given().contentType(ContentType.JSON).body(java.util.Map.of("message", message)).post("/v1/diagnoses")
                .then().statusCode(org.hamcrest.Matchers.lessThan(500));
        given().contentType(ContentType.JSON).body(java.util.Map.of("recipient", "overflow@hostile.example", "message", message))
                .post("/v1/events")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(201), equalTo(202)));
    }
}
