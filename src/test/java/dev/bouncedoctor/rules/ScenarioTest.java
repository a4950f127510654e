package dev.bouncedoctor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every case under rules/scenarios/ as its own test, named after the case, against the rules in rules/. */
class ScenarioTest {

    private static final Path RULES = Path.of(System.getProperty("rules.dir", "rules"));

    @TestFactory
    Stream<DynamicTest> scenarios() {
        RuleSources sources = RuleSources.read(RULES);
        RuleCompiler.Result compiled = new RuleCompiler().compile(sources.drl());
        assertEquals(List.of(), compiled.problems(), "the rules in " + RULES + " must compile");
        List<Scenario> scenarios = new ArrayList<>();
        ScenarioParser parser = new ScenarioParser();
        sources.scenarios().forEach((file, text) -> {
            ScenarioParser.Parsed parsed = parser.parse(file, text);
            assertEquals(List.of(), parsed.problems(), "scenario file " + file + " must parse");
            scenarios.addAll(parsed.scenarios());
        });
        assertTrue(!scenarios.isEmpty(), "rules/scenarios/ holds no scenario");
        ScenarioRunner runner = new ScenarioRunner();
        return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.label(), () -> {
            ScenarioRunner.Outcome outcome = runner.run(compiled.kieBase(), s);
            assertTrue(outcome.passed(), () -> String.join("\n", outcome.failures()));
        }));
    }
}
