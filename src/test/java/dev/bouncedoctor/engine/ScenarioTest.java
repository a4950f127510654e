package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.model.RuleInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every case under rules/scenarios/ as its own test, named after the case, against the rules in rules/. */
class ScenarioTest {

    /** Another knowledge base can be checked with -Dknowledge.rules.dir (not rules.dir: test profiles set that one for the service). */
    private static final Path RULES = Path.of(System.getProperty("knowledge.rules.dir", "rules"));

    @TestFactory
    Stream<DynamicTest> scenarios() {
        RuleSet compiled = compile();
        List<Scenario> scenarios = loadScenarios();
        ScenarioRunner runner = new ScenarioRunner();
        return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.label(), () -> {
            ScenarioRunner.Outcome outcome = runner.run(compiled, s);
            assertTrue(outcome.passed(), () -> String.join("\n", outcome.failures()));
        }));
    }

    /** A rule no scenario exercises is a rule nobody has checked (the loader refuses such a set; this names them quickly). */
    @Test
    void everyRuleFiresInSomeScenario() {
        RuleSet compiled = compile();
        Set<String> fired = new TreeSet<>();
        for (ScenarioRunner.Outcome outcome : new ScenarioRunner().runAll(compiled, loadScenarios())) {
            fired.addAll(outcome.rulesFired());
        }
        RuleTemplates.Expanded expanded = RuleTemplates.expand(RuleSources.read(RULES).files());
        assertEquals(List.of(), expanded.placed(RuleCoverage.unexercised(compiled.rules(), fired, expanded.drl())),
                "rules that no scenario fires; add a scenario for each");
    }

    /**
     * No hidden tie-breaks: between findings of equal specificity the order of rule names decides last, which no author
     * sees. Compiled with that order reversed, every scenario must still pass: a rule that must win over another says
     * so where it is written, {@code @outranks("the other rule")}.
     */
    @Test
    void noAnswerDependsOnTheOrderOfRuleNames() {
        RuleSources sources = RuleSources.read(RULES);
        RuleCompiler.Result reversed = new RuleCompiler(true).compile(sources.drl());
        assertEquals(List.of(), reversed.problems());
        RuleSet rules = TestRuleSets.of(sources, reversed);
        List<String> dependent = new ScenarioRunner().runAll(rules, loadScenarios()).stream()
                .filter(o -> !o.passed()).map(o -> o.asProblem().toString()).toList();
        assertEquals(List.of(), dependent, "scenarios whose answer depends on the alphabetical order of rule names; give the rule that "
                + "should win @outranks(\"the other rule's name\")");
    }

    @Test
    void theReasonNeverDependsOnWhenTheDeliveryWasAttempted() {
        // The classify command parses mails without their dates (BounceMailParser.withoutDates), to print the
        // reason diagnose gives; a classify or resolve rule that read occurredAt would make the two disagree.
        RuleSources.read(RULES).drl().forEach((file, text) -> {
            if (file.startsWith("classify/") || file.startsWith("resolve/")) {
                assertTrue(!text.contains("occurredAt"), file + " reads occurredAt; decide the reason in the advise or symptoms rules instead");
            }
        });
    }

    /** Compiled once for the class: both tests read the same rules, and a compile takes seconds. */
    private static RuleSet compiled;

    private static synchronized RuleSet compile() {
        if (compiled == null) {
            compiled = compileNow();
        }
        return compiled;
    }

    private static RuleSet compileNow() {
        RuleSources sources = RuleSources.read(RULES);
        assertEquals(List.of(), sources.templateProblems(), "the rule templates in " + RULES + " must fill from their tables");
        RuleCompiler.Result compiled = new RuleCompiler().compile(sources.drl());
        assertEquals(List.of(), compiled.problems(), "the rules in " + RULES + " must compile");
        return TestRuleSets.of(sources, compiled);
    }

    private static List<Scenario> loadScenarios() {
        List<Scenario> scenarios = new ArrayList<>();
        ScenarioParser parser = new ScenarioParser();
        RuleSources.read(RULES).scenarios().forEach((file, text) -> {
            ScenarioParser.Parsed parsed = parser.parse(file, text);
            assertEquals(List.of(), parsed.problems(), "scenario file " + file + " must parse");
            scenarios.addAll(parsed.scenarios());
        });
        assertTrue(!scenarios.isEmpty(), "rules/scenarios/ holds no scenario");
        // A table's rows test themselves through their example column, as the loader runs them.
        List<RuleProblem> examples = new ArrayList<>();
        scenarios.addAll(RuleTemplates.expand(RuleSources.read(RULES).files()).examples(examples));
        assertEquals(List.of(), examples, "every table row's example must describe a fact");
        return scenarios;
    }
}
