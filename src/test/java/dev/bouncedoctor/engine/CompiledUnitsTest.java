package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An edit compiles only the file it touched (with its package, where files share functions); the rest is reused. */
class CompiledUnitsTest {

    private static final RuleSources SHIPPED = RuleSources.read(Path.of("rules"));

    private static int buildsFor(RuleSources sources) {
        int before = CompiledUnits.builds();
        RuleCompiler.Result result = new RuleCompiler().compile(sources.drl());
        assertEquals(List.of(), result.problems());
        return CompiledUnits.builds() - before;
    }

    @Test
    void aOneFileEditCompilesThatFileAlone() {
        buildsFor(SHIPPED);
        assertEquals(0, buildsFor(SHIPPED), "the same text again compiles nothing");
        String file = "advise/not-delivered.drl";
        assertEquals(1, buildsFor(SHIPPED.overlay(Map.of(file, SHIPPED.files().get(file) + "\n// an edit\n"))));
        String table = "classify/phrases.csv";
        assertEquals(1, buildsFor(SHIPPED.overlay(Map.of(table, SHIPPED.files().get(table) + "\n"
                + "test mailboxfull: overfull,mailboxfull,TEXT,mailbox is overfull,overfull,the test,made up for the test,\n"))),
                "a row added to a table compiles the rules the table makes");
    }

    /** The compile ahead at start and an author's first validation, at once: each file is compiled once, by either. */
    @Test
    void twoCompilesAtOnceShareTheirWork() throws Exception {
        buildsFor(SHIPPED);
        String file = "advise/block-lists.drl";
        RuleSources edited = SHIPPED.overlay(Map.of(file, SHIPPED.files().get(file) + "\n// edited at once\n"));
        int before = CompiledUnits.builds();
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<RuleCompiler.Result>> results = two.invokeAll(List.of(
                    () -> new RuleCompiler().compile(edited.drl()), () -> new RuleCompiler().compile(edited.drl())));
            for (java.util.concurrent.Future<RuleCompiler.Result> result : results) {
                assertTrue(result.get().ok(), result.get().problems().toString());
            }
        } finally {
            two.shutdown();
        }
        assertEquals(1, CompiledUnits.builds() - before);
    }

    @Test
    void filesSharingAPackagesFunctionsAreCompiledTogether() {
        String thresholds = "symptoms/00-thresholds.drl";
        assertTrue(SHIPPED.files().get(thresholds).contains("function "), "the symptom thresholds are functions the symptom rules call");
        buildsFor(SHIPPED);
        assertEquals(1, buildsFor(SHIPPED.overlay(Map.of("symptoms/sender.drl", SHIPPED.files().get("symptoms/sender.drl") + "\n// an edit\n"))),
                "one unit: the symptoms package");
    }

    @Test
    void theSetPutTogetherAnswersAsOneCompileOfItDoes() {
        RuleCompiler.Result units = new RuleCompiler().compile(SHIPPED.drl());
        RuleCompiler.Result reference = new RuleCompiler().compileAsWritten(SHIPPED.drl());
        assertEquals(reference.rules().stream().map(r -> r.name()).sorted().toList(), units.rules().stream().map(r -> r.name()).sorted().toList());
        List<Scenario> scenarios = new java.util.ArrayList<>();
        SHIPPED.scenarios().forEach((file, text) -> scenarios.addAll(new ScenarioParser().parse(file, text).scenarios()));
        assertEquals(List.of(), new ScenarioRunner().runAll(TestRuleSets.of(SHIPPED, units), scenarios).stream()
                .filter(o -> !o.passed()).map(o -> o.asProblem().toString()).toList());
    }
}
