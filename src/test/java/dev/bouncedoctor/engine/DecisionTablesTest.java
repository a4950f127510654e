package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.testing.Workbooks;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Tables a support lead edits in a spreadsheet: a rule template's table as an Excel workbook, and a Drools decision
 * table as it is (CSV or workbook). Each is compiled with the DRL, checked the same way, and its problems are put at
 * the sheet, row and column to fix.
 */
class DecisionTablesTest {

    private static final RuleSources STARTER = ReducedRules.read();
    private final RuleSetLoader reducedLoader = new RuleSetLoader(false);

    /** The reduced rules with event-names.csv given as a workbook instead (same rows, sheet "event names"). */
    private static RuleSources withWorkbook(String csv) {
        TreeMap<String, String> files = new TreeMap<>(STARTER.files());
        files.remove("classify/event-names.csv");
        files.put("classify/event-names.xlsx", workbook("event names", csv));
        return new RuleSources(files);
    }

    static String workbook(String sheetName, String csv) {
        return Workbooks.base64(sheetName, csv);
    }

    private static String eventNames() {
        return STARTER.files().get("classify/event-names.csv");
    }

    @Test
    void aTemplatesTableMayBeAWorkbookAndServesTheSameRules() {
        RuleSetLoader.Result fromCsv = reducedLoader.load(STARTER);
        RuleSetLoader.Result fromWorkbook = reducedLoader.load(withWorkbook(eventNames()));
        assertEquals(List.of(), fromWorkbook.problems());
        assertEquals(fromCsv.rules().stream().map(r -> r.name()).sorted().toList(), fromWorkbook.rules().stream().map(r -> r.name()).sorted().toList());
        assertEquals(fromCsv.scenarios(), fromWorkbook.scenarios(), "the rows' examples are cases in a workbook too, and they passed");
    }

    @Test
    void aWorkbookCellOutsideTheVocabularyIsRefusedAtItsSheetRowAndColumn() {
        String csv = eventNames().replace("any,open,opened,", "any,open,openned,");
        int row = csv.lines().toList().indexOf(csv.lines().filter(l -> l.startsWith("any,open,openned,")).findFirst().orElseThrow()) + 1;
        RuleSetLoader.Result result = reducedLoader.load(withWorkbook(csv));
        assertFalse(result.accepted());
        assertEquals(1, result.problems().size(), result.problems().toString());
        RuleProblem problem = result.problems().get(0);
        assertEquals("classify/event-names.xlsx", problem.file());
        assertEquals(row, problem.line());
        assertEquals(3, problem.column());
        assertTrue(problem.message().contains("status 'openned'") && problem.message().contains("did you mean 'opened'")
                && problem.message().contains("sheet 'event names', row " + row + ", column 'status' (cell C" + row + ")"), problem.message());
    }

    @Test
    void aWorkbookCellThatDoesNotCompileIsReportedAtItsCell() {
        String csv = eventNames().replace("any,open,opened,0,", "any,open,opened,high,");
        int row = csv.lines().toList().indexOf(csv.lines().filter(l -> l.startsWith("any,open,opened,high,")).findFirst().orElseThrow()) + 1;
        RuleSetLoader.Result result = reducedLoader.load(withWorkbook(csv));
        assertEquals(1, result.problems().size(), result.problems().toString());
        RuleProblem problem = result.problems().get(0);
        assertEquals(new RuleProblem("classify/event-names.xlsx", row, 4, problem.message()), problem);
        assertTrue(problem.message().contains("'high'") && problem.message().contains("(cell D" + row + ")"), problem.message());
    }

    @Test
    void aTemplateWithTwoTablesOrABrokenWorkbookIsAProblem() {
        TreeMap<String, String> both = new TreeMap<>(STARTER.files());
        both.put("classify/event-names.xlsx", workbook("event names", eventNames()));
        List<RuleProblem> twice = RuleTemplates.expand(both).problems();
        assertEquals(1, twice.size(), twice.toString());
        assertTrue(twice.get(0).message().contains("takes one table"), twice.toString());

        TreeMap<String, String> broken = new TreeMap<>(STARTER.files());
        broken.remove("classify/event-names.csv");
        broken.put("classify/event-names.xlsx", Base64.getEncoder().encodeToString("not a workbook".getBytes()));
        List<RuleProblem> unreadable = RuleTemplates.expand(broken).problems();
        assertEquals(1, unreadable.size(), unreadable.toString());
        assertEquals("classify/event-names.xlsx", unreadable.get(0).file());
        assertTrue(unreadable.get(0).message().contains("cannot be read as an Excel workbook"), unreadable.toString());
    }

    /**
     * A Drools decision table in its own layout: one rule per row, the columns saying which part of the rule a cell
     * fills; two rows (sheet rows 9 and 10), each a phrase and the reason it means, and the scenarios that fire both.
     */
    static final String DECISION_TABLE = resource("tables/overfull-decision-table.csv");
    static final String SCENARIOS = resource("tables/overfull-scenarios.yaml");

    private static String resource(String path) {
        try (java.io.InputStream in = DecisionTablesTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


    @Test
    void aDroolsDecisionTableCompilesWithTheRulesAsCsvAndAsAWorkbook() {
        for (Map.Entry<String, String> table : Map.of("classify/overfull.csv", DECISION_TABLE,
                "classify/overfull.xlsx", workbook("overfull", DECISION_TABLE)).entrySet()) {
            RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of(table.getKey(), table.getValue(), "scenarios/overfull.yaml", SCENARIOS)));
            assertEquals(List.of(), result.problems(), table.getKey());
            List<String> rows = result.rules().stream().filter(r -> table.getKey().equals(r.file())).map(r -> r.name()).sorted().toList();
            assertEquals(List.of("overfull mailbox_10", "overfull mailbox_9"), rows, table.getKey());
            assertTrue(result.rules().stream().filter(r -> table.getKey().equals(r.file()))
                    .allMatch(r -> "the test".equals(r.metadata().get("source")) && r.metadata().containsKey("description")), result.rules().toString());
        }
    }

    @Test
    void aDecisionTableRowThatDoesNotCompileOrWritesAnUnknownWordIsReportedAtItsRow() {
        String badCode = DECISION_TABLE.replace("classify,mailbox is overfull right now,", "classify,mailbox is overfull right now\\,");
        RuleSetLoader.Result broken = reducedLoader.load(STARTER.overlay(Map.of("classify/overfull.csv", badCode, "scenarios/overfull.yaml", SCENARIOS)));
        assertFalse(broken.accepted());
        assertTrue(broken.problems().stream().allMatch(p -> p.file().equals("classify/overfull.csv") && p.line() == 9), broken.problems().toString());

        String typo = DECISION_TABLE.replace("suspend, mailbox is parked", "suspendd, mailbox is parked");
        RuleSetLoader.Result refused = reducedLoader.load(STARTER.overlay(Map.of("classify/overfull.csv", typo, "scenarios/overfull.yaml", SCENARIOS)));
        RuleProblem problem = refused.problems().get(0);
        assertEquals("classify/overfull.csv", problem.file(), refused.problems().toString());
        assertEquals(10, problem.line(), problem.toString());
        assertTrue(problem.message().contains("reason 'suspendd'") && problem.message().contains("did you mean 'suspend'"), problem.message());
    }

    @Test
    void aTableRowNoScenarioFiresIsRefusedAtThatRow() {
        String onlyOne = SCENARIOS.substring(0, SCENARIOS.indexOf("- name: a parked mailbox"));
        RuleSetLoader.Result refused = new RuleSetLoader().load(RuleSources.read(java.nio.file.Path.of("rules"))
                .overlay(Map.of("classify/overfull.csv", DECISION_TABLE, "scenarios/overfull.yaml", onlyOne)));
        assertFalse(refused.accepted());
        assertEquals(0, refused.scenariosFailed());
        assertEquals(1, refused.problems().size(), refused.problems().toString());
        RuleProblem problem = refused.problems().get(0);
        assertEquals("classify/overfull.csv", problem.file());
        assertEquals(10, problem.line());
        assertTrue(problem.message().contains("'overfull mailbox_10'"), problem.message());
    }

    /** A phrase a support lead types with capitals could never match the lower-case text: refused at its row. */
    @Test
    void aPhraseCellThatCouldNeverMatchIsRefusedAtItsRow() {
        RuleSources shipped = RuleSources.read(java.nio.file.Path.of("rules"));
        String header = shipped.files().get("classify/phrases.csv").lines().findFirst().orElseThrow();
        String table = header + "\n"
                + "test mailboxfull: overfull,mailboxfull,TEXT,mailbox is overfull,overfull,the test,made up for the test,\n"
                + "test suspend: parked,suspend,TEXT,Mailbox Is Parked,parked,the test,made up for the test,\n";
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/phrases.drt", shipped.files().get("classify/phrases.drt"),
                "classify/phrases.csv", table)));
        assertFalse(result.accepted());
        assertEquals(1, result.problems().size(), result.problems().toString());
        RuleProblem problem = result.problems().get(0);
        assertEquals("classify/phrases.csv", problem.file());
        assertEquals(3, problem.line());
        assertTrue(problem.message().contains("\"Mailbox Is Parked\" can never match") && problem.message().contains("column 'phrases'"), problem.message());
    }

    @Test
    void aCsvWithoutTemplateThatIsNoDecisionTableSaysWhatItNeeds() {
        List<RuleProblem> problems = RuleTemplates.expand(new TreeMap<>(Map.of("advise/lonely.csv", "a,b\n1,2\n"))).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("advise/lonely.drt") && problems.get(0).message().contains("decision table"), problems.toString());
    }
}
