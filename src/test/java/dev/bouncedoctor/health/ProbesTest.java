package dev.bouncedoctor.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without a loaded rule set the pod must not receive traffic, yet must not be restarted either:
 * readiness is down, liveness and startup are up.
 */
@QuarkusTest
@TestProfile(ProbesTest.NoRules.class)
class ProbesTest {

    public static class NoRules implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rules.dir", "target/no-such-rules-dir", "rules.poll-interval", "1h");
        }
    }

    @Test
    void notReadyUntilARuleSetHasLoaded() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'rules' }.status", equalTo("DOWN"));
        given().contentType(ContentType.JSON).body("{\"smtpCode\":550}").post("/v1/diagnoses").then().statusCode(503)
                .header("X-Rule-Set-Version", nullValue());
    }

    @Test
    void aliveAndStartedAllTheSame() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }
}
