package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleInfo;
import dev.bouncedoctor.model.RuleProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns rule sources into a {@link RuleSet}: compile the DRL, parse the scenarios, run them; any problem refuses the set. */
public final class RuleSetLoader {

    public record Result(String version, RuleSet ruleSet, List<RuleInfo> rules, List<RuleProblem> problems, int scenarios, int scenariosFailed) {
        public boolean accepted() {
            return ruleSet != null;
        }
    }

    private final RuleCompiler compiler = new RuleCompiler();
    private final ScenarioParser parser = new ScenarioParser();
    private final VocabularyParser vocabularies = new VocabularyParser();
    private final ScenarioRunner runner = new ScenarioRunner();
    private final boolean requireExercised;

    /** A loader that refuses a set with a rule no scenario exercises ({@link RuleCoverage}). */
    public RuleSetLoader() {
        this(true);
    }

    /**
     * @param requireExercised false only for tests of the mechanics that load a reduced copy of the rules, whose
     *                         scenarios cover only part of it
     */
    public RuleSetLoader(boolean requireExercised) {
        this.requireExercised = requireExercised;
    }

    /** A rule set compiled from sources without running their scenarios, with those scenarios; for previews. */
    public record Candidate(RuleSet ruleSet, List<Scenario> scenarios, List<RuleProblem> problems) {
    }

    /**
     * The sources compiled and checked as {@link #load} does, but not judged by their scenarios: an author previews the
     * effect of an edit on real traffic even while a scenario still disagrees. Null ruleSet when they do not compile.
     */
    public Candidate candidate(RuleSources sources) {
        RuleCompiler.Result compiled = compiler.compile(sources.drl());
        List<RuleProblem> problems = new ArrayList<>(sources.templateProblems());
        problems.addAll(compiled.problems());
        VocabularyParser.Parsed vocabulary = vocabularies.parse(sources.vocabulary());
        problems.addAll(vocabulary.problems());
        if (vocabulary.vocabulary() != null) {
            problems.addAll(VocabularyCheck.check(sources, vocabulary.vocabulary()));
        }
        List<Scenario> scenarios = new ArrayList<>();
        sources.scenarios().forEach((file, text) -> {
            ScenarioParser.Parsed parsed = parser.parse(file, text);
            scenarios.addAll(parsed.scenarios());
            problems.addAll(parsed.problems());
        });
        RuleSet ruleSet = !compiled.ok() || vocabulary.vocabulary() == null ? null
                : new RuleSet(sources.version(), Instant.now(), List.copyOf(sources.files().keySet()), compiled.rules(), scenarios.size(),
                        compiled.kieBase(), compiled.phrases(), vocabulary.vocabulary());
        return new Candidate(ruleSet, List.copyOf(scenarios), List.copyOf(problems));
    }

    public Result load(RuleSources sources) {
        String version = sources.version();
        RuleCompiler.Result compiled = compiler.compile(sources.drl());
        List<RuleProblem> problems = new ArrayList<>(sources.templateProblems());
        problems.addAll(compiled.problems());
        VocabularyParser.Parsed vocabulary = vocabularies.parse(sources.vocabulary());
        problems.addAll(vocabulary.problems());
        // A word outside the vocabulary is named once, where it is written; its scenarios are not run to fail on it again.
        List<RuleProblem> words = vocabulary.vocabulary() == null ? List.of() : VocabularyCheck.check(sources, vocabulary.vocabulary());
        problems.addAll(words);
        List<Scenario> scenarios = new ArrayList<>();
        sources.scenarios().forEach((file, text) -> {
            ScenarioParser.Parsed parsed = parser.parse(file, text);
            scenarios.addAll(parsed.scenarios());
            problems.addAll(parsed.problems());
        });
        int failed = 0;
        RuleSet candidate = null;
        if (compiled.ok() && vocabulary.vocabulary() != null && words.isEmpty()) {
            candidate = new RuleSet(version, Instant.now(), List.copyOf(sources.files().keySet()), compiled.rules(), scenarios.size(),
                    compiled.kieBase(), compiled.phrases(), vocabulary.vocabulary());
            List<ScenarioRunner.Outcome> outcomes = runner.runAll(candidate, scenarios);
            for (ScenarioRunner.Outcome outcome : outcomes) {
                if (!outcome.passed()) {
                    failed++;
                    problems.add(outcome.asProblem());
                }
            }
            if (outcomes.size() < scenarios.size()) {
                // A set is only accepted once every scenario has passed.
                problems.add(new RuleProblem("", 0, 0, (scenarios.size() - outcomes.size()) + " scenarios were not run: "
                        + (problems.isEmpty() ? "the validation was stopped" : "the rules loop, so each would run into the firing limit too")));
            } else if (requireExercised) {
                java.util.Set<String> fired = new java.util.HashSet<>();
                outcomes.forEach(o -> fired.addAll(o.rulesFired()));
                problems.addAll(RuleCoverage.unexercised(compiled.rules(), fired, sources.files()));
            }
        }
        if (!problems.isEmpty()) {
            return new Result(version, null, compiled.rules(), List.copyOf(problems), scenarios.size(), failed);
        }
        return new Result(version, candidate, compiled.rules(), List.of(), scenarios.size(), 0);
    }
}
