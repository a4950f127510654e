package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.RuleProblem;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rules/README.md walks a support lead through the everyday edits with a worked example; this test makes exactly the
 * edits it shows (each fenced block after a {@code <!-- replay: … -->} marker) to the shipped rules and checks that the
 * result is served and answers as the README says. An edit to the README's example that no longer works fails here.
 */
class ReadmeWorkedExampleTest {

    private static final Path RULES = Path.of("rules");
    private static final Pattern REPLAY = Pattern.compile("<!-- replay: (append|add-step) (\\S+)(?: (\\S+))? -->\\s*```\\w*\\n(.*?)\\n```", Pattern.DOTALL);

    private static RuleSources shipped;
    private static RuleSources edited;
    private static String readme;
    private static List<String> appendedRows = new ArrayList<>();
    private static String addedStep;
    private static RuleSetLoader.Result editedLoad;
    private static RuleSet before;

    @BeforeAll
    static void replayTheReadme() throws IOException {
        readme = Files.readString(RULES.resolve("README.md"));
        shipped = RuleSources.read(RULES);
        Map<String, String> files = new HashMap<>();
        Matcher edit = REPLAY.matcher(readme);
        int edits = 0;
        while (edit.find()) {
            edits++;
            String path = edit.group(2);
            String text = files.getOrDefault(path, shipped.files().get(path));
            assertTrue(text != null, "the README edits " + path + ", which is no file of rules/");
            String block = edit.group(4).strip();
            if (edit.group(1).equals("append")) {
                files.put(path, text.endsWith("\n") ? text + block + "\n" : text + "\n" + block + "\n");
                appendedRows.add(block);
            } else {
                files.put(path, withStep(text, edit.group(3), block));
                addedStep = block;
            }
        }
        assertEquals(3, edits, "the README's worked example shows three edits");
        edited = shipped.overlay(files);
        editedLoad = new RuleSetLoader().load(edited);
        before = new RuleSetLoader().load(shipped).ruleSet();
    }

    /** The table with the step added at the end of the steps cell of the row whose reason is given. */
    private static String withStep(String csv, String reason, String step) throws IOException {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> rows;
        try (MappingIterator<String[]> read = mapper.readerFor(String[].class).readValues(csv)) {
            rows = read.readAll();
        }
        List<String> header = List.of(rows.get(0));
        int steps = header.indexOf("steps");
        boolean found = false;
        for (String[] row : rows.subList(1, rows.size())) {
            if (row[header.indexOf("reason")].equals(reason)) {
                row[steps] = row[steps] + " | " + step;
                found = true;
            }
        }
        assertTrue(found, "advice.csv has a row for " + reason);
        StringWriter out = new StringWriter();
        mapper.writerFor(String[][].class).writeValue(out, rows.toArray(new String[0][]));
        return out.toString();
    }

    private static DiagnosisReport diagnose(RuleSet rules, String message) {
        Scenario scenario = new Scenario("readme", 1, message, new DeliveryFact(null, null, null, null, null, null, message, null, null), null);
        return rules.diagnose(new ScenarioRunner().input(scenario));
    }

    private static String cell(String row, int column) throws IOException {
        try (MappingIterator<String[]> read = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).readerFor(String[].class).readValues(row)) {
            return read.next()[column];
        }
    }

    @Test
    void theEditedRulesAreServedWithEveryRowExercised() {
        RuleSetLoader.Result result = editedLoad;
        assertEquals(List.<RuleProblem>of(), result.problems());
        assertTrue(result.accepted());
        for (String row : appendedRows) {
            assertTrue(result.rules().stream().anyMatch(r -> row.startsWith(r.name() + ",") && r.file().equals("classify/phrases.drt")),
                    "the row is a rule of the table: " + row);
        }
    }

    @Test
    void eachNewRowAnswersItsExampleAsTheReadmeSaysAndDidNotBefore() throws IOException {
        RuleSet after = editedLoad.ruleSet();
        for (String row : appendedRows) {
            String name = cell(row, 0);
            String reason = cell(row, 1);
            String message = cell(row, 7).replaceFirst("^message=", "");
            Diagnosis primary = diagnose(after, message).diagnoses().get(0);
            assertEquals(reason, primary.reason(), message);
            assertEquals(name, primary.rule(), message);
            assertNotEquals(reason, diagnose(before, message).diagnoses().get(0).reason(), "the worked example changes an answer: " + message);
            assertTrue(readme.contains("`" + reason + "`"), "the README names the new answer " + reason);
        }
    }

    @Test
    void theChangedAdviceShowsItsNewStep() throws IOException {
        RuleSet after = editedLoad.ruleSet();
        String message = cell(appendedRows.get(0), 7).replaceFirst("^message=", "");
        Diagnosis primary = diagnose(after, message).diagnoses().get(0);
        assertEquals("spamdetected", primary.reason());
        List<String> steps = primary.steps();
        assertEquals(addedStep, steps.get(steps.size() - 1), steps.toString());
        assertFalse(diagnose(before, message).diagnoses().get(0).steps().contains(addedStep));
    }
}
