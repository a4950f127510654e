package dev.bouncedoctor.maillog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Nothing is lost: an event the rules fail on is stored undiagnosed and diagnosed after the next reload. */
@QuarkusTest
@TestProfile(UndiagnosedEventTest.BrokenRule.class)
class UndiagnosedEventTest {

    static final String BROKEN = "classify/zz-broken.drl";

    /** The shipped rules plus one rule that throws for a single recipient (no scenario uses it, so the set loads). */
    public static class BrokenRule implements QuarkusTestProfile {

        static final Path DIR = copyOfRules();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rules.dir", DIR.toString(), "rules.poll-interval", "1h",
                    // the added rule throws on purpose, so no scenario can go through it
                    "rules.require-exercised", "false", "maillog.rediagnose-interval", "1s");
        }

        private static Path copyOfRules() {
            try {
                Path dir = Files.createTempDirectory("bounce-doctor-broken-rules");
                Path source = Path.of("rules");
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path to = dir.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                Files.writeString(dir.resolve(BROKEN), """
                        package bouncedoctor.classify;
                        import dev.bouncedoctor.model.DeliveryFact;
                        import dev.bouncedoctor.model.Finding;
                        import dev.bouncedoctor.model.Specificity;
                        rule "throws for one recipient"
                            ruleflow-group "classify"
                        when
                            DeliveryFact(recipient == "boom@broken.example")
                        then
                            // A reason outside the vocabulary, computed so that only a run finds it (a literal one is refused
                            // at load): the model refuses it.
                            insert(Finding.of(drools, "this rule is " + "broken", Specificity.TEXT, "x"));
                        end
                        """);
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void anEventTheRulesFailOnIsKeptAndDiagnosedAfterTheNextReload() throws Exception {
        int id = given().contentType(ContentType.JSON).body("{\"recipient\":\"boom@broken.example\",\"status\":\"bounced\",\"smtpCode\":552}")
                .when().post("/v1/events").then()
                .statusCode(202)
                .body("event.diagnosed", equalTo(false))
                .body("event.diagnosisError", containsString("this rule is broken"))
                .extract().path("event.id");
        given().queryParam("recipient", "boom@broken.example").when().get("/v1/events").then().body("total", equalTo(1));
        // Not diagnosed yet, so nobody can say it arrived: "undelivered" shows it until the rules have decided.
        given().queryParam("recipient", "boom@broken.example").queryParam("undelivered", true).when().get("/v1/events").then().body("total", equalTo(1));

        Files.delete(BrokenRule.DIR.resolve(BROKEN));
        given().when().post("/v1/rules/reload").then().statusCode(200);
        boolean diagnosed = false;
        for (int i = 0; i < 60 && !diagnosed; i++) {
            diagnosed = given().when().get("/v1/events/" + id).then().extract().path("event.diagnosed");
            if (!diagnosed) {
                Thread.sleep(500);
            }
        }
        assertEquals(true, diagnosed, "the event must be diagnosed once a working rule set is loaded");
        given().when().get("/v1/events/" + id).then()
                .body("diagnosis.diagnoses[0].reason", equalTo("mailboxfull"))
                .body("event.diagnosisError", equalTo(null));
        given().when().get("/v1/recipients/boom@broken.example").then().statusCode(200).body("recipient.flaggedInvalid", equalTo(true));
        given().queryParam("recipient", "boom@broken.example").queryParam("undelivered", true).when().get("/v1/events").then().body("total", equalTo(1));
    }
}
