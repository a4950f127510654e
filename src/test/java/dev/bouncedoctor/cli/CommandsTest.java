package dev.bouncedoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's commands, run in-process: results on standard output, complaints on standard error, exit codes. */
class CommandsTest {

    private static final Path CORPUS = Path.of("src/test/resources/corpus/sisimai/maildir/bsd");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Commands commands = new Commands(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), "rules");

    @Test
    void classifyPrintsOneTabSeparatedLinePerRecipient(@TempDir Path dir) throws IOException {
        Files.copy(CORPUS.resolve("lhost-postfix-13.eml"), dir.resolve("a.eml"));
        Files.copy(CORPUS.resolve("lhost-qmail-01.eml"), dir.resolve("b.eml"));
        Files.writeString(dir.resolve("notes.txt"), "not a mail, and not *.eml");
        Files.writeString(dir.resolve("c.eml"), "");

        assertEquals(0, commands.run("classify", dir.toString()));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), out.toString(StandardCharsets.UTF_8));
        String[] second = lines.get(1).split("\t", -1);
        assertEquals(List.of("a.eml", "2"), List.of(second[0], second[1]));
        assertEquals("5.2.2", second[3]);
        assertEquals("550", second[4]);
        assertTrue(lines.get(2).startsWith("b.eml\t1\t"), lines.get(2));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("c.eml: the body is empty"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void classifyReadsAWholeTreeOfMaildirsAndMboxes(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("archive/2026/cur"));
        Files.createDirectories(dir.resolve("archive/2026/tmp"));
        Files.copy(CORPUS.resolve("lhost-qmail-01.eml"), dir.resolve("archive/2026/cur/1700000000.M1P2.host:2,S"));
        Files.copy(CORPUS.resolve("lhost-qmail-01.eml"), dir.resolve("archive/2026/tmp/1700000001.M1P2.host"));
        Files.copy(CORPUS.resolve("lhost-postfix-13.eml"), dir.resolve("archive/old.eml"));
        Files.writeString(dir.resolve("archive/.hidden.eml"), "");

        assertEquals(0, commands.run("classify", dir.toString()));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), out.toString(StandardCharsets.UTF_8));
        assertTrue(lines.get(0).startsWith("archive/2026/cur/1700000000.M1P2.host:2,S\t1\t"), lines.get(0));
        assertTrue(lines.get(1).startsWith("archive/old.eml\t1\t"), lines.get(1));
    }

    @Test
    void diagnosePrintsTheReportsAsJson() throws IOException {
        assertEquals(0, commands.run("diagnose", CORPUS.resolve("lhost-postfix-13.eml").toString()));
        JsonNode answer = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(2, answer.path("reports").size());
        assertEquals("noraneko@example.jp", answer.path("reports").path(1).path("fact").path("recipient").asText());
        assertTrue(answer.path("reports").path(0).path("diagnoses").path(0).path("reason").isTextual());
    }

    @Test
    void diagnoseRefusesWhatIsNotAMail(@TempDir Path dir) throws IOException {
        Path junk = Files.write(dir.resolve("junk.eml"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertEquals(2, commands.run("diagnose", junk.toString()));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("binary"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkRulesAcceptsTheShippedRules() {
        assertEquals(0, commands.run("check-rules", "rules"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("ok: rules"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkRulesFailsOnABrokenRuleAndSaysWhere(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.drl"), """
                package rules;
                rule "half a rule"
                    ruleflow-group "classify"
                when
                    DeliveryFact(
                then
                end
                """);
        assertEquals(1, commands.run("check-rules", dir.toString()));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("refused: "), printed);
        assertTrue(printed.contains("broken.drl:"), printed);
    }

    @Test
    void badUsageExitsWithTwo() {
        assertEquals(2, commands.run("classify"));
        assertEquals(2, commands.run("classify", "/no/such/dir"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage:"));
    }

    /** preview: the rules of a directory against the serving ones, on their scenarios and a tree of real mails. */
    @Test
    void previewListsWhatAProposedRuleWouldChange(@TempDir Path dir) throws IOException {
        Path proposed = dir.resolve("rules");
        try (var files = Files.walk(Path.of("rules"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = proposed.resolve(Path.of("rules").relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        // Every "over quota" becomes a block: a change a rule author should see before publishing it.
        Files.writeString(proposed.resolve("classify/zz-preview.drl"), """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;
                import dev.bouncedoctor.model.Finding;
                import dev.bouncedoctor.model.Specificity;

                rule "text blocked: over quota, wrongly"
                    @description("a bad idea, previewed")
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "over quota")
                then
                    insert(Finding.of(drools, "blocked", Specificity.APPLICATION, "over quota"));
                end
                """);
        assertEquals(0, commands.run("preview", proposed.toString(), "src/test/resources/corpus/sisimai"), err.toString(StandardCharsets.UTF_8));
        com.fasterxml.jackson.databind.JsonNode preview = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(preview.get("compiled").asBoolean());
        assertTrue(preview.at("/scenarios/changed").asInt() > 0, preview.at("/scenarios").toString());
        assertTrue(preview.at("/corpus/changed").asInt() > 0 && preview.at("/corpus/compared").asInt() > 500, preview.at("/corpus/compared").toString());
        com.fasterxml.jackson.databind.JsonNode change = preview.at("/corpus/changes/0");
        assertEquals("blocked", change.at("/after/reason").asText(), change.toString());
        assertEquals("text blocked: over quota, wrongly", change.at("/after/rule").asText());
        assertTrue(!change.at("/before/reason").asText().equals("blocked"), change.toString());
    }
}
