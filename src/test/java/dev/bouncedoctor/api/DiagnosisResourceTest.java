package dev.bouncedoctor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract of POST /v1/diagnoses and /batch, as a client sees it. */
@QuarkusTest
class DiagnosisResourceTest {

    @jakarta.inject.Inject
    dev.bouncedoctor.rules.RuleRegistry registry;

    @Test
    void diagnosesAnUnknownUser() {
        given().contentType(ContentType.JSON).body("{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")
                .when().post("/v1/diagnoses")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("diagnoses[0].reason", equalTo("userunknown"))
                .body("diagnoses[0].category", equalTo("invalid-email"))
                .body("diagnoses[0].suppress", equalTo(true))
                .body("diagnoses[0].retry", equalTo("never"))
                .body("diagnoses[0].steps.size()", org.hamcrest.Matchers.greaterThan(0))
                .body("diagnoses[0].rule", equalTo("enhanced X.1.1 bad destination mailbox"))
                .body("diagnoses[0].evidence", equalTo("5.1.1"))
                .body("rulesFired", hasItem("enhanced X.1.1 bad destination mailbox"))
                .body("ruleSet.version", notNullValue())
                .body("ruleSet.loadedAt", notNullValue());
    }

    /** The benchmark's no-rules baseline is no part of the API unless a benchmark turns it on. */
    @Test
    void theNoRulesBaselineIsOffUnlessConfigured() {
        given().contentType(ContentType.JSON).body("{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")
                .when().post("/v1/diagnoses/no-rules")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void answersWithTheNormalisedFact() {
        given().contentType(ContentType.JSON)
                .body("""
                        {"recipient":"Jane <jane@Example.COM>","provider":"SMTP","status":"Bounced",
                         "message":"552-5.2.2 The email account that you tried to reach is over quota.",
                         "occurredAt":"2026-11-20T10:00:00Z"}""")
                .when().post("/v1/diagnoses")
                .then().statusCode(200)
                .body("fact.recipient", equalTo("jane@example.com"))
                .body("fact.provider", equalTo("smtp"))
                .body("fact.status", equalTo("bounced"))
                .body("fact.smtpCode", equalTo(552))
                .body("fact.enhancedCode", equalTo("5.2.2"))
                .body("fact.occurredAt", equalTo("2026-11-20T10:00:00Z"))
                .body("fact", not(org.hamcrest.Matchers.hasKey("text")))
                .body("diagnoses[0].reason", equalTo("mailboxfull"))
                .body("diagnoses[0].retryAfter", equalTo("P2D"));
    }

    @Test
    void keepsOtherReasonsAsSecondaryDiagnoses() {
        // Two texts that each name a cause and agree on what to do (never retry, suppress): both are kept. (A code the
        // primary's text explains, as 5.1.1 under "Envelope blocked", adds none: rules/README.md, "Precedence".)
        given().contentType(ContentType.JSON).body("{\"message\":\"550 No such user here; host unknown\"}")
                .when().post("/v1/diagnoses")
                .then().statusCode(200)
                .body("diagnoses", hasSize(2))
                .body("diagnoses[0].reason", equalTo("hostunknown"))
                .body("diagnoses[1].reason", equalTo("userunknown"));
    }

    @Test
    void alwaysGivesAtLeastTheGeneralChecklist() {
        given().contentType(ContentType.JSON).body("{\"message\":\"something nobody has seen before\"}")
                .when().post("/v1/diagnoses")
                .then().statusCode(200)
                .body("diagnoses", hasSize(1))
                .body("diagnoses[0].reason", equalTo("undefined"))
                .body("diagnoses[0].category", equalTo("not-delivered"))
                .body("diagnoses[0].steps.size()", org.hamcrest.Matchers.greaterThan(1));
    }

    @Test
    void diagnosesABatchInOrder() {
        given().contentType(ContentType.JSON)
                .body("[{\"smtpCode\":552},{\"status\":\"delivered\"},{\"message\":\"421-4.7.28 slow down\"}]")
                .when().post("/v1/diagnoses/batch")
                .then().statusCode(200)
                .body("collect { it.diagnoses[0].reason }", equalTo(java.util.List.of("mailboxfull", "delivered", "ratelimited")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " ~ ", value = {
            "malformed JSON ~ {\"smtpCode\":550, ~ body",
            "a number as text ~ {\"smtpCode\":\"abc\"} ~ smtpCode",
            "no evidence ~ {\"recipient\":\"jane@example.com\"} ~ status|smtpCode|enhancedCode|message|errorCode",
            "a short enhanced code ~ {\"enhancedCode\":\"5.1\"} ~ enhancedCode",
            "an enhanced code of class 3 ~ {\"enhancedCode\":\"3.1.1\"} ~ enhancedCode",
            "a reply code out of range ~ {\"smtpCode\":999} ~ smtpCode",
            "a misspelt field ~ {\"smtpcode\":550} ~ smtpcode",
            "a date that is not ISO-8601 ~ {\"status\":\"bounced\",\"occurredAt\":\"yesterday\"} ~ occurredAt",
            "an array instead of an object ~ [{\"smtpCode\":550}] ~ body",
            "a recipient that is no address ~ {\"recipient\":\"jane\",\"smtpCode\":550} ~ recipient",
    })
    void refusesBadInputWithAProblemNamingTheField(String what, String body, String field) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/diagnoses")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", startsWith("urn:bounce-doctor:problem:"))
                .body("detail", notNullValue())
                .body("errors.field", hasItem(field))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void refusesAnEmptyBody() {
        given().contentType(ContentType.JSON).body("")
                .when().post("/v1/diagnoses")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("body"));
    }

    @Test
    void namesTheBadFactOfABatchByIndex() {
        given().contentType(ContentType.JSON).body("[{\"smtpCode\":550},{\"enhancedCode\":\"5\"},{}]")
                .when().post("/v1/diagnoses/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("[1].enhancedCode"))
                .body("errors.field", hasItem("[2].status|smtpCode|enhancedCode|message|errorCode"));
    }

    @Test
    void refusesABatchOverTheLimit() {
        String facts = "[" + String.join(",", Collections.nCopies(501, "{\"smtpCode\":550}")) + "]";
        given().contentType(ContentType.JSON).body(facts)
                .when().post("/v1/diagnoses/batch")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("at most 500"));
    }

    @Test
    void refusesAnEmptyBatch() {
        given().contentType(ContentType.JSON).body("[]")
                .when().post("/v1/diagnoses/batch")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void refusesAnUnsupportedMediaTypeAsAProblem() {
        given().contentType(ContentType.TEXT).body("550 5.1.1")
                .when().post("/v1/diagnoses")
                .then().statusCode(415).contentType("application/problem+json")
                .body("detail", containsString("application/json"));
    }

    @Test
    void answersAnUnknownPathAsAProblem() {
        given().when().get("/v1/no-such-thing")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void everyDiagnosisUsesTheDesignsVocabulary() {
        dev.bouncedoctor.model.Vocabulary vocabulary = registry.current().orElseThrow().vocabulary();
        given().contentType(ContentType.JSON)
                .body("[{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"},{\"smtpCode\":451},{\"status\":\"complained\"},{\"message\":\"Out of office\"}]")
                .when().post("/v1/diagnoses/batch")
                .then().statusCode(200)
                .body("diagnoses.flatten().retry", everyItem(org.hamcrest.Matchers.in(vocabulary.retries())))
                .body("diagnoses.flatten().category", everyItem(org.hamcrest.Matchers.in(vocabulary.categories())));
    }
}
