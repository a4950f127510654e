package dev.bouncedoctor.maillog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The same contract on a real PostgreSQL server, plus what an outage of it looks like. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class MailLogPostgresTest extends MailLogContract {

    @Test
    void aDatabaseOutageIsA503ToRetryAndNothingIsLost() {
        String body = "{\"eventId\":\"outage-1\",\"recipient\":\"olga@" + domain() + "\",\"status\":\"bounced\",\"smtpCode\":552}";
        PostgresServer.stopServer();
        try {
            post(body).statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", equalTo("5"))
                    .body("type", equalTo("urn:bounce-doctor:problem:storage-unavailable"));
        } finally {
            PostgresServer.startServer();
        }
        // The client retries as told; pooled connections to the old server are dropped on the way.
        int status = 0;
        for (int i = 0; i < 10 && status != 201; i++) {
            status = given().contentType(ContentType.JSON).body(body).when().post("/v1/events").then().extract().statusCode();
        }
        assertStatus(201, status);
        given().queryParam("status", "bounced").queryParam("size", 500).when().get("/v1/events").then()
                .statusCode(200).body("items.eventId", hasItem("outage-1"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    private static void assertStatus(int expected, int actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, "the retried event must be stored once the database is back");
    }
}
