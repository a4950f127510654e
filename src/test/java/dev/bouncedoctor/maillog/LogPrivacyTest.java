package dev.bouncedoctor.maillog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the log at INFO and above when the rules fail on an event and when a request is refused: the domain of
 * an address, never the address, and never the message's text, even when a rule copies the whole fact into its error.
 */
@QuarkusTest
@TestProfile(LogPrivacyTest.LeakyBrokenRule.class)
class LogPrivacyTest {

    static final String ADDRESS = "secret.person@privacy.example";
    static final String SENDER = "ceo.private@sender.example";
    /** Distinctive words of the message: none may be logged. */
    static final String MESSAGE = "550 5.2.2 Dear Secret Person, your mailbox for order 4711-XYZZY is over quota";

    /** The shipped rules plus one that fails, for one recipient, with an error that quotes the fact, its sender and its message. */
    public static class LeakyBrokenRule implements QuarkusTestProfile {

        static final Path DIR = copyOfRules();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rules.dir", DIR.toString(), "rules.poll-interval", "1h",
                    // the added rule throws on purpose, so no scenario can go through it
                    "rules.require-exercised", "false");
        }

        private static Path copyOfRules() {
            try {
                Path dir = Files.createTempDirectory("bounce-doctor-leaky-rules");
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
                Files.writeString(dir.resolve("classify/zz-leaky.drl"), """
                        package bouncedoctor.classify;
                        import dev.bouncedoctor.model.DeliveryFact;
                        import dev.bouncedoctor.model.Finding;
                        import dev.bouncedoctor.model.Specificity;
                        rule "throws with the whole fact in its message"
                            ruleflow-group "classify"
                        when
                            $f : DeliveryFact(recipient == "%s")
                        then
                            // A reason outside the vocabulary makes the model throw, quoting it: here, the whole fact.
                            insert(Finding.of(drools, "broken for " + $f.recipient() + " from " + $f.sender() + ": " + $f.message() + " in " + $f,
                                    Specificity.TEXT, "x"));
                        end
                        """.formatted(ADDRESS));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Every record at INFO or above, as it would be written: the formatted message and any exception with its causes. */
    static final class Capture extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() < Level.INFO.intValue()) {
                return;
            }
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " " + message);
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private final Capture capture = new Capture();

    @BeforeEach
    void capture() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(capture);
    }

    private void assertNothingPrivateLogged() {
        String log = String.join("\n", capture.lines);
        String lower = log.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains(ADDRESS), "the address reached the log:\n" + log);
        assertFalse(lower.contains("secret.person"), "the local part reached the log:\n" + log);
        assertFalse(lower.contains(SENDER), "the sender reached the log:\n" + log);
        assertFalse(lower.contains("4711-xyzzy") || lower.contains("dear secret person"), "the message reached the log:\n" + log);
    }

    @Test
    void anEventTheRulesFailOnIsLoggedWithTheDomainOnly() {
        given().contentType(ContentType.JSON)
                .body("{\"recipient\":\"Secret <" + ADDRESS + ">\",\"sender\":\"" + SENDER + "\",\"status\":\"bounced\",\"message\":\"" + MESSAGE + "\"}")
                .when().post("/v1/events").then()
                .statusCode(202)
                .body("event.diagnosed", equalTo(false))
                // the caller and the mail log keep the whole cause; only the log is masked
                .body("event.diagnosisError", containsString(ADDRESS));
        String log = String.join("\n", capture.lines);
        assertTrue(log.contains("event=maillog.undiagnosed recipient=s***@privacy.example"), "the failure must be logged, masked:\n" + log);
        assertNothingPrivateLogged();
    }

    @Test
    void aDiagnosisTheRulesFailOnIsLoggedWithoutTheFact() {
        given().contentType(ContentType.JSON)
                .body("{\"recipient\":\"" + ADDRESS + "\",\"sender\":\"" + SENDER + "\",\"message\":\"" + MESSAGE + "\"}")
                .when().post("/v1/diagnoses").then()
                .statusCode(422)
                .contentType("application/problem+json");
        String log = String.join("\n", capture.lines);
        assertTrue(log.contains("event=diagnosis.failed"), "the failure must be logged:\n" + log);
        assertTrue(log.contains("broken for s***@privacy.example from c***@sender.example"), "the cause must be logged, masked:\n" + log);
        assertNothingPrivateLogged();
    }

    @Test
    void refusedRequestsLogNoAddress() {
        given().contentType(ContentType.JSON)
                .body("{\"recipient\":\"" + ADDRESS + ".\",\"sender\":\"" + SENDER + "\",\"status\":\"bounced\",\"message\":\"" + MESSAGE + "\"}")
                .when().post("/v1/events").then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("recipient"));
        given().contentType(ContentType.JSON).body("{\"recipient\":\"" + ADDRESS + "\",\"status\":\"bounced\",\"message\":\"" + MESSAGE + "\"")
                .when().post("/v1/events").then().statusCode(400);
        given().when().get("/v1/recipients/{address}", "x@" + ADDRESS).then().statusCode(400);
        given().when().get("/v1/recipients/{address}", "nobody." + ADDRESS).then().statusCode(404);
        given().when().get("/v1/senders/{sender}/diagnoses", SENDER).then().statusCode(404);
        assertNothingPrivateLogged();
    }
}
