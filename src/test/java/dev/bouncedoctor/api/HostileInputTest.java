package dev.bouncedoctor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

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
