package dev.bouncedoctor.kafka;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Without KAFKA_BOOTSTRAP_SERVERS (the test suite's default application, with no broker anywhere) the service starts as
 * before: no channel is created, nothing tries to connect, and the probes do not wait for a broker.
 */
@QuarkusTest
class KafkaOffTest {

    @Test
    void withoutBrokersTheProbesAreUpAndNameNoChannel() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(not(containsString("events-in"))).body(not(containsString("diagnoses-out")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
