package dev.bouncedoctor.k8s;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.api.RuleSetVersionHeader;
import dev.bouncedoctor.engine.RuleSources;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rule edits through a ConfigMap: the kubelet swaps {@code ..data}, the running service notices on
 * its own, serves the new set and says so (body, header, metric); a broken edit is refused and the
 * old set keeps serving while the pod stays ready.
 */
@QuarkusTest
@TestProfile(ConfigMapRulesProfile.class)
class ConfigMapReloadTest {

    private static final String FULL_MAILBOX = "{\"smtpCode\":552,\"enhancedCode\":\"5.2.2\"}";
    private static final String ADVICE = "advise/advice.csv";
    private static final String SHIPPED_VERSION = new RuleSources(ConfigMapRulesProfile.SHIPPED).version();

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(String.format(record.getMessage(), record.getParameters() == null ? new Object[0] : record.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheRegistryLog() {
        Logger.getLogger("dev.bouncedoctor.rules.RuleRegistry").addHandler(capture);
    }

    @AfterEach
    void restoreTheShippedRules() {
        Logger.getLogger("dev.bouncedoctor.rules.RuleRegistry").removeHandler(capture);
        ConfigMapRulesProfile.VOLUME.update(ConfigMapRulesProfile.SHIPPED);
        awaitServing(SHIPPED_VERSION);
    }

    @Test
    void anEditedConfigMapIsServedWithoutARestart() {
        given().get("/v1/rules").then().body("version", equalTo(SHIPPED_VERSION));

        TreeMap<String, String> edited = new TreeMap<>(ConfigMapRulesProfile.SHIPPED);
        edited.put(ADVICE, edited.get(ADVICE).replace("The recipient's mailbox is full", "Mailbox full: edited in the ConfigMap"));
        String editedVersion = new RuleSources(edited).version();
        ConfigMapRulesProfile.VOLUME.update(edited);

        awaitServing(editedVersion);
        Response answer = given().contentType(ContentType.JSON).body(FULL_MAILBOX).post("/v1/diagnoses");
        answer.then().statusCode(200)
                .body("diagnoses[0].title", equalTo("Mailbox full: edited in the ConfigMap"))
                .body("ruleSet.version", equalTo(editedVersion))
                .header(RuleSetVersionHeader.NAME, editedVersion);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("bouncedoctor_rule_set_info{version=\"" + editedVersion + "\"} 1.0"))
                .body(not(containsString("bouncedoctor_rule_set_info{version=\"" + SHIPPED_VERSION + "\"}")));
    }

    @Test
    void aBrokenEditKeepsTheOldRulesServingAndThePodReady() {
        double refusedBefore = refusedReloads();
        TreeMap<String, String> broken = new TreeMap<>(ConfigMapRulesProfile.SHIPPED);
        broken.put("classify/broken.drl", "package bouncedoctor.classify;\nimport dev.bouncedoctor.model.DeliveryFact;\n\n"
                + "rule \"broken\"\n    ruleflow-group \"classify\"\nwhen\n    DeliveryFact(smtpCode == )\nthen\nend\n");
        String brokenVersion = new RuleSources(broken).version();
        ConfigMapRulesProfile.VOLUME.update(broken);

        await("the broken edit to be refused", () -> brokenVersion.equals(given().get("/v1/rules").then().extract().path("lastLoad.version")));
        given().get("/v1/rules").then()
                .body("version", equalTo(SHIPPED_VERSION))
                .body("lastLoad.accepted", equalTo(false))
                .body("problems[0].file", equalTo("classify/broken.drl"));
        given().contentType(ContentType.JSON).body(FULL_MAILBOX).post("/v1/diagnoses").then().statusCode(200)
                .body("diagnoses[0].title", equalTo("The recipient's mailbox is full"))
                .header(RuleSetVersionHeader.NAME, SHIPPED_VERSION);
        // Still in service; the refusal's detail is in GET /v1/rules (above), not in the open probe.
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'rules' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'rules' }.data", nullValue());
        assertTrue(log.stream().anyMatch(line -> line.contains("outcome=refused") && line.contains("serving=" + SHIPPED_VERSION)), log.toString());
        assertTrue(log.stream().anyMatch(line -> line.contains("file=classify/broken.drl line=7")), log.toString());
        assertEquals(refusedBefore + 1, refusedReloads(), "one refused load counted");
    }

    private static double refusedReloads() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("bouncedoctor_rules_reloads_total{") && l.contains("outcome=\"refused\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    private static void awaitServing(String version) {
        await("rule set " + version + " to serve", () -> version.equals(given().get("/v1/rules").then().extract().path("version")));
    }

    /** The watcher polls every second; give it ample time on a loaded machine. */
    private static void await(String what, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
