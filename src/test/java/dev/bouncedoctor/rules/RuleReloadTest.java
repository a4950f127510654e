package dev.bouncedoctor.rules;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Live rule edits: a reload serves an edit, a broken edit is refused, the watcher notices edits, and swaps never fail a request. */
@QuarkusTest
@TestProfile(TempRulesProfile.class)
class RuleReloadTest {

    private static final String FULL_MAILBOX = "{\"smtpCode\":552,\"enhancedCode\":\"5.2.2\"}";
    private static final String ORIGINAL_TITLE = "The recipient's mailbox is full";
    private static final Path ADVICE = TempRulesProfile.DIR.resolve("advise/advice.csv");

    @TestHTTPResource("/v1/diagnoses")
    URI diagnoses;

    @AfterEach
    void restoreTheShippedRules() {
        TempRulesProfile.restore();
        given().post("/v1/rules/reload").then().statusCode(200).body("lastLoad.accepted", equalTo(true));
    }

    @Test
    void aReloadServesTheEditedRule() throws IOException {
        String before = given().get("/v1/rules").then().extract().path("version");
        retitle("Mailbox full: edited");
        given().post("/v1/rules/reload").then().statusCode(200)
                .body("lastLoad.accepted", equalTo(true))
                .body("version", not(equalTo(before)));
        given().contentType(ContentType.JSON).body(FULL_MAILBOX).post("/v1/diagnoses")
                .then().body("diagnoses[0].title", equalTo("Mailbox full: edited"))
                .body("ruleSet.version", not(equalTo(before)));
    }

    @Test
    void aRuleThatWritesAFileIsRefusedFromTheDirectoryAndNothingRuns() throws IOException {
        String before = given().get("/v1/rules").then().extract().path("version");
        Path target = Files.createTempDirectory("escape").resolve("pwned");
        Files.writeString(TempRulesProfile.DIR.resolve("classify/escape.drl"), """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;

                rule "write a file"
                    @description("escape")
                    ruleflow-group "classify"
                when
                    DeliveryFact()
                then
                    java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "pwned");
                end
                """.formatted(target));
        given().post("/v1/rules/reload").then().statusCode(200)
                .body("version", equalTo(before))
                .body("lastLoad.accepted", equalTo(false))
                .body("problems[0].file", equalTo("classify/escape.drl"))
                .body("problems[0].line", equalTo(10))
                .body("problems[0].column", equalTo(5));
        given().contentType(ContentType.JSON).body(FULL_MAILBOX).post("/v1/diagnoses")
                .then().statusCode(200).body("ruleSet.version", equalTo(before));
        assertTrue(Files.notExists(target), "nothing of the refused rule set ran");
    }

    /** This profile gives a validation 1 ms: it is refused, the serving set stays, and the next waits for the slot. */
    @Test
    void aValidationPastItsTimeLimitIsRefusedAndHoldsTheSlotUntilItEnds() {
        String before = given().get("/v1/rules").then().extract().path("version");
        Map<String, Object> edit = Map.of("files", Map.of("scenarios/extra.yaml", "- name: extra\n  fact: { smtpCode: 550, enhancedCode: \"5.1.1\" }\n  expect: { reason: userunknown }\n"));
        given().contentType(ContentType.JSON).body(edit).post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].message", containsString("rules.validate.timeout"));
        given().contentType(ContentType.JSON).body(edit).post("/v1/rules/validate")
                .then().statusCode(429).contentType("application/problem+json").header("Retry-After", equalTo("5"));
        given().get("/v1/rules").then().body("version", equalTo(before));
        // The slot frees once the abandoned validation has really ended (asked with a small set, quick to refuse).
        Map<String, Object> small = Map.of("files", Map.of("scenarios/empty.yaml", "[]"), "overlay", false);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int status;
        do {
            status = given().contentType(ContentType.JSON).body(small).post("/v1/rules/validate").statusCode();
        } while (status == 429 && System.nanoTime() < deadline && pause());
        assertEquals(200, status);
    }

    private static boolean pause() {
        try {
            Thread.sleep(200);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aBrokenEditIsRefusedAndTheOldRulesKeepServing() throws IOException {
        String before = given().get("/v1/rules").then().extract().path("version");
        Files.writeString(TempRulesProfile.DIR.resolve("classify/broken.drl"),
                "package bouncedoctor.classify;\nimport dev.bouncedoctor.model.DeliveryFact;\n\nrule \"broken\"\n    ruleflow-group \"classify\"\nwhen\n    DeliveryFact(smtpCode == )\nthen\nend\n");
        given().post("/v1/rules/reload").then().statusCode(200)
                .body("version", equalTo(before))
                .body("lastLoad.accepted", equalTo(false))
                .body("problems[0].file", equalTo("classify/broken.drl"))
                .body("problems[0].line", equalTo(7));
        given().contentType(ContentType.JSON).body(FULL_MAILBOX).post("/v1/diagnoses")
                .then().statusCode(200).body("diagnoses[0].title", equalTo(ORIGINAL_TITLE)).body("ruleSet.version", equalTo(before));
        // Still in service; the open probe answers UP and nothing more (the refusal's detail is GET /v1/rules's).
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'rules' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'rules' }.data", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void anEditWhoseScenarioFailsIsRefused() throws IOException {
        // A support lead's slip in the advice table: the full mailbox's category changed in its row.
        String text = Files.readString(ADVICE).replace("\nmailboxfull,mailbox-error,", "\nmailboxfull,invalid-email,");
        Files.writeString(ADVICE, text);
        given().post("/v1/rules/reload").then()
                .body("lastLoad.accepted", equalTo(false))
                .body("problems.file", org.hamcrest.Matchers.hasItem("scenarios/classify/enhanced-codes.yaml"))
                .body("problems[0].message", containsString("expected category 'mailbox-error' but got 'invalid-email'"));
    }

    @Test
    void theWatcherServesAnEditWithoutBeingAsked() throws Exception {
        retitle("Mailbox full: seen by the watcher");
        Instant deadline = Instant.now().plusSeconds(30);
        String title = null;
        while (Instant.now().isBefore(deadline)) {
            title = given().contentType(ContentType.JSON).body(FULL_MAILBOX).post("/v1/diagnoses").then().extract().path("diagnoses[0].title");
            if (title.equals("Mailbox full: seen by the watcher")) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals("Mailbox full: seen by the watcher", title);
    }

    @Test
    void requestsDuringReloadsNeverFailNorMixRuleSets() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Map<String, String> titleByVersion = new ConcurrentHashMap<>();
        titleByVersion.put(given().get("/v1/rules").then().extract().path("version"), ORIGINAL_TITLE);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<String>>> clients = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            clients.add(pool.submit(() -> {
                List<String> answers = new ArrayList<>();
                while (running.get() && answers.size() < 5_000) {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(diagnoses)
                            .header("Content-Type", "application/json").header("X-API-Key", dev.bouncedoctor.security.TestKey.KEY)
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(FULL_MAILBOX)).build(), HttpResponse.BodyHandlers.ofString());
                    answers.add(response.statusCode() + " " + response.body());
                }
                return answers;
            }));
        }
        try {
            // Two edits: the answers of three rule sets (the first and two more) are checked for mixing.
            for (int i = 1; i <= 2; i++) {
                retitle("Mailbox full: edit " + i);
                String version = given().post("/v1/rules/reload").then().body("lastLoad.accepted", equalTo(true)).extract().path("version");
                titleByVersion.put(version, "Mailbox full: edit " + i);
            }
        } finally {
            running.set(false);
            pool.shutdown();
        }
        int answered = 0;
        for (Future<List<String>> f : clients) {
            for (String answer : f.get()) {
                answered++;
                assertTrue(answer.startsWith("200 "), answer);
                JsonPath json = JsonPath.from(answer.substring(4));
                String version = json.getString("ruleSet.version");
                assertEquals(titleByVersion.get(version), json.getString("diagnoses[0].title"), "the answer of rule set " + version);
            }
        }
        assertTrue(answered > 0);
        assertNotEquals(1, titleByVersion.size());
    }

    private static void retitle(String title) throws IOException {
        String text = Files.readString(ADVICE);
        // The title cell of the mailboxfull row (the sixth column; the titles here hold no comma), whatever the other rows hold.
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^(mailboxfull(?:,[^,\"\n]*){4},)([^,\"\n]*)").matcher(text);
        assertTrue(row.find(), "advice.csv has the mailboxfull row");
        Files.writeString(ADVICE, text.substring(0, row.start(2)) + title + text.substring(row.end(2)));
    }
}
