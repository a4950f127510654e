package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.Finding;
import dev.bouncedoctor.model.Specificity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The knowledge base as a whole: every reason of the design's vocabulary gets a diagnosis with a
 * title and steps (whatever the class of the code that came with it), and the scenarios exercise
 * every reason and every category.
 */
class KnowledgeCoverageTest {

    /** Another knowledge base can be checked with -Dknowledge.rules.dir (not rules.dir: test profiles set that one for the service). */
    private static final Path RULES = Path.of(System.getProperty("knowledge.rules.dir", "rules"));
    private static RuleSources sources;
    private static RuleCompiler.Result compiled;
    private static RuleSet rules;

    @BeforeAll
    static void compile() {
        sources = RuleSources.read(RULES);
        compiled = new RuleCompiler().compile(sources.drl());
        assertEquals(List.of(), compiled.problems());
        rules = TestRuleSets.of(sources, compiled);
    }

    @TestFactory
    Stream<DynamicTest> everyReasonEndsWithStepsWhateverTheCodeClass() {
        List<DeliveryFact> facts = List.of(
                new DeliveryFact(null, null, null, "bounced", null, null, null, null, null),
                new DeliveryFact(null, null, null, "deferred", 451, "4.0.0", null, null, null),
                new DeliveryFact(null, null, null, "bounced", 550, "5.0.0", null, null, null));
        return new TreeSet<>(rules.vocabulary().reasons()).stream().flatMap(reason -> facts.stream().map(fact ->
                DynamicTest.dynamicTest(reason + " with " + fact.status() + " " + fact.enhancedCode(), () -> {
                    Finding forced = new Finding(reason, Specificity.APPLICATION, "a forced finding", "test", 0);
                    DiagnosisReport report = rules.diagnose(DiagnosisInput.of(fact), List.of(forced));
                    Diagnosis primary = report.primary();
                    assertEquals(reason, primary.reason());
                    assertNotNull(primary.category(), "category");
                    assertNotNull(primary.retry(), "retry");
                    assertTrue(primary.title() != null && !primary.title().isBlank(), "a title");
                    assertFalse(primary.steps().isEmpty(), "at least one step");
                    assertFalse(primary.title().contains("(" + reason + ")"), "specific advice, not the safety net's");
                })));
    }

    @Test
    void scenariosCoverEveryReasonAndCategory() {
        Set<String> reasons = new TreeSet<>();
        Set<String> categories = new TreeSet<>();
        ScenarioParser parser = new ScenarioParser();
        sources.scenarios().forEach((file, text) -> parser.parse(file, text).scenarios().forEach(s -> {
            if (s.expect().reason() != null) {
                reasons.add(s.expect().reason());
            }
            if (s.expect().category() != null) {
                categories.add(s.expect().category());
            }
        }));
        Set<String> missingReasons = new TreeSet<>(rules.vocabulary().reasons());
        missingReasons.removeAll(reasons);
        Set<String> missingCategories = new TreeSet<>(rules.vocabulary().categories());
        missingCategories.removeAll(categories);
        assertEquals(Set.of(), missingReasons, "reasons no scenario expects");
        assertEquals(Set.of(), missingCategories, "categories no scenario expects");
    }
}
