package dev.bouncedoctor.maillog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
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

    @Test
    void eventsSentWhileTheDatabaseRestartsAreStoredOnceEachWhenClientsRetryAsTold() throws Exception {
        String d = domain();
        int clients = 4;
        int perClient = 15;
        java.util.concurrent.CountDownLatch halfWay = new java.util.concurrent.CountDownLatch(clients);
        java.util.concurrent.ExecutorService restarter = java.util.concurrent.Executors.newSingleThreadExecutor();
        // Once every client has stored part of its events, the server goes away (as a crash would) and comes back.
        java.util.concurrent.Future<?> restart = restarter.submit(() -> {
            halfWay.await();
            PostgresServer.stopServer();
            Thread.sleep(1000);
            PostgresServer.startServer();
            return null;
        });
        try {
            concurrently(clients, c -> {
                int refused = 0;
                for (int i = 0; i < perClient; i++) {
                    if (i == perClient / 3) {
                        halfWay.countDown();
                    }
                    String body = "{\"eventId\":\"restart-" + c + "-" + i + "-" + d + "\",\"recipient\":\"uma" + c + "@" + d
                            + "\",\"status\":\"bounced\",\"smtpCode\":552,\"occurredAt\":\"2026-07-01T10:" + String.format("%02d", i) + ":00Z\"}";
                    refused += sendUntilStored(body, "/v1/events", 201);
                }
                // A batch, all or nothing: refused whole while the database is away, stored whole once it is back.
                String batch = "[{\"eventId\":\"restart-batch-" + c + "-a-" + d + "\",\"recipient\":\"uma" + c + "@" + d + "\",\"status\":\"delivered\","
                        + "\"occurredAt\":\"2026-07-02T10:00:00Z\"},{\"eventId\":\"restart-batch-" + c + "-b-" + d + "\",\"recipient\":\"vic" + c + "@" + d
                        + "\",\"status\":\"delivered\",\"occurredAt\":\"2026-07-02T10:00:00Z\"}]";
                return refused + sendUntilStored(batch, "/v1/events/batch", 200);
            });
        } finally {
            // Whatever happened to the clients, the restart runs to its end, so that the next test has its database.
            while (halfWay.getCount() > 0) {
                halfWay.countDown();
            }
            restart.get(2, java.util.concurrent.TimeUnit.MINUTES);
            restarter.shutdown();
        }
        for (int c = 0; c < clients; c++) {
            List<String> stored = given().queryParam("recipient", "uma" + c + "@" + d).queryParam("size", 100).when().get("/v1/events").then()
                    .statusCode(200).extract().path("items.eventId");
            assertEquals(perClient + 1, stored.size(), "each acknowledged event stored once: " + stored);
            assertEquals(perClient + 1, stored.stream().distinct().count());
            given().queryParam("recipient", "vic" + c + "@" + d).when().get("/v1/events").then().body("total", equalTo(1));
            // The newest event, the batch's delivery, decides the state.
            given().when().get("/v1/recipients/uma" + c + "@" + d).then().body("recipient.lastStatus", equalTo("delivered"));
        }
    }

    /**
     * Posts until the answer is {@code stored} or 200 (the same event stored by an earlier attempt whose answer was lost),
     * as a client does after a 503 or a dropped connection; returns how many attempts were turned away.
     */
    private static int sendUntilStored(String body, String path, int stored) {
        for (int attempt = 0; attempt < 600; attempt++) {
            int status;
            try {
                status = given().contentType(ContentType.JSON).body(body).when().post(path).then().extract().statusCode();
            } catch (RuntimeException connectionLost) {
                status = -1;
            }
            if (status == stored || status == 200) {
                return attempt;
            }
            if (status != 503 && status != -1) {
                throw new AssertionError(path + " answered " + status + " to " + body);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not stored after 600 attempts: " + body);
    }

    private static void assertStatus(int expected, int actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, "the retried event must be stored once the database is back");
    }
}
