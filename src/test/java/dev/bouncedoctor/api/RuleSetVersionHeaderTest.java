package dev.bouncedoctor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Every API answer, failures included, names the rule set version it was served with. */
@QuarkusTest
class RuleSetVersionHeaderTest {

    @Test
    void diagnosesCarryTheVersionThatProducedThem() {
        String version = given().contentType(ContentType.JSON).body("{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}").post("/v1/diagnoses")
                .then().statusCode(200).extract().path("ruleSet.version");
        given().contentType(ContentType.JSON).body("{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}").post("/v1/diagnoses")
                .then().header(RuleSetVersionHeader.NAME, version);
        given().contentType(ContentType.JSON).body("[{\"smtpCode\":550},{\"status\":\"bounced\"}]").post("/v1/diagnoses/batch")
                .then().statusCode(200).header(RuleSetVersionHeader.NAME, version);
    }

    @Test
    void otherAnswersCarryTheServingVersion() {
        String version = given().get("/v1/rules").then().statusCode(200).header(RuleSetVersionHeader.NAME, matchesPattern("[0-9a-f]{12}"))
                .extract().path("version");
        given().get("/v1/rules").then().header(RuleSetVersionHeader.NAME, version);
        given().contentType(ContentType.JSON).body("{}").post("/v1/diagnoses")
                .then().statusCode(400).header(RuleSetVersionHeader.NAME, version);
        given().get("/v1/nothing-here").then().statusCode(404).header(RuleSetVersionHeader.NAME, version);
    }
}
