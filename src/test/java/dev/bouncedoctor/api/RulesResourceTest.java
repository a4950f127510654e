package dev.bouncedoctor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /v1/rules, POST /v1/rules/validate, health and OpenAPI against the shipped rules. */
@QuarkusTest
class RulesResourceTest {

    @Test
    void listsTheServingRuleSet() {
        given().when().get("/v1/rules")
                .then().statusCode(200)
                .body("version", notNullValue())
                .body("loadedAt", notNullValue())
                .body("files", hasItem("classify/enhanced-codes.drl"))
                .body("files", hasItem("scenarios/classify/enhanced-codes.yaml"))
                .body("rules.find { it.name == 'enhanced X.1.1 bad destination mailbox' }.file", equalTo("classify/enhanced-codes.drl"))
                .body("rules.find { it.name == 'enhanced X.1.1 bad destination mailbox' }.packageName", equalTo("bouncedoctor.classify"))
                .body("rules.find { it.name == 'enhanced X.1.1 bad destination mailbox' }.metadata", hasKey("description"))
                .body("rules.find { it.name == 'enhanced X.1.1 bad destination mailbox' }.metadata.source", equalTo("RFC 3463 3.2"))
                .body("lastLoad.accepted", equalTo(true))
                .body("problems.size()", equalTo(0));
    }

    @Test
    void validatesABrokenEditWithoutServingIt() {
        String version = given().get("/v1/rules").then().extract().path("version");
        String broken = "package bouncedoctor.classify;\nimport dev.bouncedoctor.model.DeliveryFact;\n\nrule \"oops\"\n    ruleflow-group \"classify\"\nwhen\n    DeliveryFact(smtpCode == )\nthen\nend\n";
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("classify/oops.drl", broken)))
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].file", equalTo("classify/oops.drl"))
                .body("problems[0].line", equalTo(7))
                .body("problems[0].column", org.hamcrest.Matchers.greaterThan(0));
        given().get("/v1/rules").then().body("version", equalTo(version));
    }

    @Test
    void validatesAGoodEditWithItsScenario() {
        String rule = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;
                import dev.bouncedoctor.model.Finding;
                import dev.bouncedoctor.model.Specificity;

                rule "text postbox stuffed"
                    @description("A made-up wording the shipped rules do not know: a full mailbox.")
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "postbox is stuffed")
                then
                    insert(Finding.of(drools, "mailboxfull", Specificity.TEXT, "postbox is stuffed"));
                end
                """;
        String scenario = """
                - name: stuffed postbox text
                  fact: { message: "the postbox is stuffed" }
                  expect: { reason: mailboxfull, rule: "text postbox stuffed" }
                """;
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("classify/quota.drl", rule, "scenarios/quota.yaml", scenario)))
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(true))
                .body("problems.size()", equalTo(0));
        // Validation serves nothing: the live rules still do not know the pattern.
        given().contentType(ContentType.JSON).body("{\"message\":\"the postbox is stuffed\"}")
                .when().post("/v1/diagnoses")
                .then().body("diagnoses[0].reason", equalTo("undefined"));
    }

    @Test
    void validateReportsAFailingScenario() {
        String scenario = "- name: wrong\n  fact: { smtpCode: 552 }\n  expect: { reason: userunknown }\n";
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("scenarios/wrong.yaml", scenario)))
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("scenariosFailed", equalTo(1))
                .body("problems[0].file", equalTo("scenarios/wrong.yaml"))
                .body("problems[0].message", containsString("expected reason 'userunknown'"));
    }

    @Test
    void validateRefusesAPathOutsideTheRules() {
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("../etc/passwd.drl", "x")))
                .when().post("/v1/rules/validate")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("files.../etc/passwd.drl"));
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/v1/rules/validate")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("files"));
    }

    /** The first rule of the security report, in its consequence and in its metadata (which Drools evaluates while building). */
    @Test
    void aRuleThatWritesAFileIsRefusedAndNothingRuns() throws java.io.IOException {
        java.nio.file.Path target = java.nio.file.Files.createTempDirectory("escape").resolve("pwned");
        String rule = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;

                rule "write a file"
                    @description("escape")
                    @source(java.nio.file.Files.writeString(java.nio.file.Path.of("%1$s"), "from metadata"))
                    ruleflow-group "classify"
                when
                    DeliveryFact()
                then
                    java.nio.file.Files.writeString(java.nio.file.Path.of("%1$s"), "from the consequence");
                end
                """.formatted(target);
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("classify/escape.drl", rule)))
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems.find { it.line == 6 }.message", containsString("@source"))
                .body("problems.find { it.line == 11 }.column", equalTo(5))
                .body("problems.find { it.line == 11 }.message", containsString("java.nio"));
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(target), "the file must not be written");
    }

    /** The second: a consequence that throws a secret back must neither run nor echo it. */
    @Test
    void aRuleThatThrowsASecretBackIsRefusedWithoutIt() {
        String secret = System.getenv("PATH");
        String rule = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;

                rule "leak"
                    @description("escape")
                    ruleflow-group "classify"
                when
                    DeliveryFact()
                then
                    throw new RuntimeException(System.getenv("PATH") + new String(new ProcessBuilder("id").start().getInputStream().readAllBytes()));
                end
                """;
        String answer = given().contentType(ContentType.JSON).body(Map.of("files", Map.of("classify/leak.drl", rule)))
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].line", equalTo(10))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(answer.contains(secret), "the answer must not carry the environment");
        org.junit.jupiter.api.Assertions.assertFalse(answer.contains("uid="), "the answer must not carry a command's output");
    }

    @Test
    void validateRefusesMoreFilesOrTextThanItsLimits() {
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i <= 200; i++) {
            many.put("scenarios/s" + i + ".yaml", "[]");
        }
        given().contentType(ContentType.JSON).body(Map.of("files", many))
                .when().post("/v1/rules/validate")
                .then().statusCode(413).contentType("application/problem+json")
                .body("errors[0].field", equalTo("files"))
                .body("detail", containsString("at most 200"));
        String huge = "// " + "x".repeat(1024 * 1024) + "\n";
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("classify/huge.drl", huge)))
                .when().post("/v1/rules/validate")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("rules.validate.max-bytes"));
    }

    @Test
    void aLoopingRuleIsStoppedByTheFiringLimit() {
        String rule = """
                package bouncedoctor.symptoms;
                import dev.bouncedoctor.model.RecipientVerdict;

                rule "loop"
                    @description("re-triggers itself forever")
                    ruleflow-group "symptoms"
                when
                    $v : RecipientVerdict(logStatus != "pending")
                then
                    modify($v) { setLogStatus("dropped") }
                end
                """;
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("symptoms/loop.drl", rule)))
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].message", containsString("fired"));
    }

    @Test
    void isReadyAndSaysNothingMore() {
        // The probe is open to anyone: status only, no version, paths or problems (GET /v1/rules has those).
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'rules' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'rules' }.data", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void publishesOpenApi() {
        given().when().get("/q/openapi?format=json")
                .then().statusCode(200)
                .body("paths", hasKey("/v1/diagnoses"))
                .body("paths", hasKey("/v1/rules/validate"));
    }

    /**
     * A proposed rule, previewed before it is served: the mail-log event it would diagnose differently is listed with the
     * serving and the proposed answer side by side; scenarios and corpus mails are compared too; nothing is served.
     */
    @Test
    void previewsWhatAChangeWouldChangeOnTheMailLogScenariosAndCorpus() {
        String marker = "frobnicated-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        int id = given().contentType(ContentType.JSON)
                .body(Map.of("recipient", "ann@" + marker + ".example", "status", "bounced", "smtpCode", 552, "message", "552 5.2.2 mailbox full " + marker))
                .post("/v1/events").then().statusCode(201).body("diagnosis.diagnoses[0].reason", equalTo("mailboxfull")).extract().path("event.id");
        String version = given().get("/v1/rules").then().extract().path("version");
        String rule = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;
                import dev.bouncedoctor.model.Finding;
                import dev.bouncedoctor.model.Specificity;

                rule "text blocked: the preview's marker"
                    @description("a rule to preview")
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "%s")
                then
                    insert(Finding.of(drools, "blocked", Specificity.APPLICATION, "%s"));
                end
                """.formatted(marker, marker);
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("classify/preview.drl", rule), "events", 50))
                .when().post("/v1/rules/preview").then()
                .statusCode(200)
                .body("compiled", equalTo(true))
                .body("scenarios.compared", org.hamcrest.Matchers.greaterThan(500))
                .body("scenarios.changed", equalTo(0))
                .body("corpus.compared", org.hamcrest.Matchers.greaterThan(500))
                .body("corpus.changed", equalTo(0))
                .body("events.changes.find { it.what == 'event %d' }.before.reason".formatted(id), equalTo("mailboxfull"))
                .body("events.changes.find { it.what == 'event %d' }.after.reason".formatted(id), equalTo("blocked"))
                .body("events.changes.find { it.what == 'event %d' }.after.rule".formatted(id), equalTo("text blocked: the preview's marker"));
        given().get("/v1/rules").then().body("version", equalTo(version));

        // A change that does not compile is answered with its problems, compared with nothing.
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("classify/preview.drl", "package bouncedoctor.classify;\nrule \"x\" when then")))
                .when().post("/v1/rules/preview").then().statusCode(200)
                .body("compiled", equalTo(false)).body("problems[0].file", equalTo("classify/preview.drl"));
        given().contentType(ContentType.JSON).body(Map.of("files", Map.of("classify/preview.drl", rule), "events", -1))
                .when().post("/v1/rules/preview").then().statusCode(400).body("errors[0].field", equalTo("events"));
    }

    /** Files as they are, not JSON-escaped: a part named by its path, or carrying the path as its file name. */
    @Test
    void validateAndPreviewTakeUploadedFiles() {
        String broken = "package bouncedoctor.classify;\nimport dev.bouncedoctor.model.DeliveryFact;\n\nrule \"oops\"\n    ruleflow-group \"classify\"\nwhen\n    DeliveryFact(smtpCode == )\nthen\nend\n";
        given().multiPart("classify/oops.drl", "oops.drl", broken.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain")
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].file", equalTo("classify/oops.drl"))
                .body("problems[0].line", equalTo(7));
        String scenario = "- name: wrong\n  fact: { smtpCode: 552 }\n  expect: { reason: userunknown }\n";
        given().multiPart("files", "scenarios/wrong.yaml", scenario.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/yaml")
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("scenariosFailed", equalTo(1))
                .body("problems[0].file", equalTo("scenarios/wrong.yaml"));
        given().multiPart("classify/harmless.drl", "harmless.drl", "package bouncedoctor.classify;\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain")
                .multiPart("events", "5")
                .when().post("/v1/rules/preview")
                .then().statusCode(200)
                .body("compiled", equalTo(true))
                .body("scenarios.changed", equalTo(0))
                .body("events.compared", org.hamcrest.Matchers.lessThanOrEqualTo(5));
    }

    /** A workbook goes up as it is (binary), and a problem in it comes back at its row. */
    @Test
    void aWorkbookIsUploadedAsItIs() throws java.io.IOException {
        String table = resource("tables/overfull-decision-table.csv");
        byte[] scenarios = resource("tables/overfull-scenarios.yaml").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        given().multiPart("classify/overfull.xlsx", "overfull.xlsx", dev.bouncedoctor.testing.Workbooks.of("overfull", table), xlsx)
                .multiPart("scenarios/overfull.yaml", "overfull.yaml", scenarios, "application/yaml")
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(true));
        String typo = table.replace("suspend, mailbox is parked", "suspendd, mailbox is parked");
        given().multiPart("classify/overfull.xlsx", "overfull.xlsx", dev.bouncedoctor.testing.Workbooks.of("overfull", typo), xlsx)
                .multiPart("scenarios/overfull.yaml", "overfull.yaml", scenarios, "application/yaml")
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].file", equalTo("classify/overfull.xlsx"))
                .body("problems[0].line", equalTo(10))
                .body("problems[0].message", containsString("did you mean 'suspend'"));
    }

    /** A table goes up as the spreadsheet saved it, and a cell's mistake comes back at its row and column. */
    @Test
    void aTableIsUploadedAsItIs() throws java.io.IOException {
        String shipped = java.nio.file.Files.readString(java.nio.file.Path.of("rules/classify/event-names.csv"));
        String typo = shipped.replace("any,open,opened,", "any,open,openned,");
        int row = typo.lines().toList().indexOf(typo.lines().filter(l -> l.startsWith("any,open,openned,")).findFirst().orElseThrow()) + 1;
        given().multiPart("classify/event-names.csv", "event-names.csv", typo.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv")
                .when().post("/v1/rules/validate")
                .then().statusCode(200)
                .body("valid", equalTo(false))
                .body("problems[0].file", equalTo("classify/event-names.csv"))
                .body("problems[0].line", equalTo(row))
                .body("problems[0].column", equalTo(3))
                .body("problems[0].message", containsString("did you mean 'opened'"));
    }

    private static String resource(String path) throws java.io.IOException {
        try (java.io.InputStream in = RulesResourceTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void anUploadThatIsNotARuleFileOrNotTextIsRefusedByName() {
        given().multiPart("files", "notes.txt", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain")
                .when().post("/v1/rules/validate")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("files.notes.txt"));
        given().multiPart("classify/latin1.drl", "latin1.drl", new byte[]{'p', 'k', 'g', ' ', (byte) 0xE9, '\n'}, "text/plain")
                .when().post("/v1/rules/validate")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("files.classify/latin1.drl"))
                .body("errors[0].message", containsString("UTF-8"));
        given().multiPart("classify/harmless.drl", "harmless.drl", "package bouncedoctor.classify;\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain")
                .multiPart("events", "many")
                .when().post("/v1/rules/preview")
                .then().statusCode(400).body("errors[0].field", equalTo("events"));
    }
}
