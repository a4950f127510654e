package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleInfo;
import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.model.Vocabulary;
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
    private final CompiledRuleCache cache;

    /** A loader that refuses a set with a rule no scenario exercises ({@link RuleCoverage}). */
    public RuleSetLoader() {
        this(true);
    }

    /** Such a loader that keeps the sets it accepts in {@code cache} and reads them back from there, unless it is null. */
    public RuleSetLoader(CompiledRuleCache cache) {
        this(true, cache);
    }

    /**
     * @param requireExercised false only for tests of the mechanics that load a reduced copy of the rules, whose
     *                         scenarios cover only part of it
     */
    public RuleSetLoader(boolean requireExercised) {
        this(requireExercised, null);
    }

    public RuleSetLoader(boolean requireExercised, CompiledRuleCache cache) {
        this.requireExercised = requireExercised;
        this.cache = cache;
    }

    /** A rule set compiled from sources without running their scenarios, with those scenarios; for previews. */
    public record Candidate(RuleSet ruleSet, List<Scenario> scenarios, List<RuleProblem> problems) {
    }

    /**
     * The sources compiled and checked as {@link #load} does, but not judged by their scenarios: an author previews the
     * effect of an edit on real traffic even while a scenario still disagrees. Null ruleSet when they do not compile.
     */
    public Candidate candidate(RuleSources sources) {
        Prepared prepared = prepare(sources);
        RuleSet ruleSet = !prepared.compiled().ok() || prepared.vocabulary() == null ? null : prepared.ruleSet(sources);
        return new Candidate(ruleSet, List.copyOf(prepared.scenarios()), List.copyOf(prepared.problems()));
    }

    /**
     * What a load and a preview both work out: the templates filled once, the DRL compiled, the vocabulary read and
     * checked, the scenarios (with the tables' examples) read, and every problem found on the way.
     *
     * @param words the literals outside the vocabulary, also among the problems
     */
    private record Prepared(RuleTemplates.Expanded expanded, RuleCompiler.Result compiled, Vocabulary vocabulary, List<RuleProblem> words,
                            List<Scenario> scenarios, List<RuleProblem> problems) {

        RuleSet ruleSet(RuleSources sources) {
            return new RuleSet(sources.version(), Instant.now(), List.copyOf(sources.files().keySet()), compiled.rules(), scenarios.size(),
                    compiled.kieBase(), compiled.phrases(), vocabulary);
        }
    }

    private Prepared prepare(RuleSources sources) {
        RuleTemplates.Expanded expanded = RuleTemplates.expand(sources.files());
        RuleCompiler.Result compiled = compiler.compile(expanded.drl());
        List<RuleProblem> problems = new ArrayList<>(expanded.problems());
        problems.addAll(expanded.placed(compiled.problems()));
        VocabularyParser.Parsed vocabulary = vocabularies.parse(sources.vocabulary());
        problems.addAll(vocabulary.problems());
        List<RuleProblem> words = vocabulary.vocabulary() == null ? List.of() : VocabularyCheck.check(expanded, vocabulary.vocabulary());
        problems.addAll(words);
        List<Scenario> scenarios = new ArrayList<>();
        sources.scenarios().forEach((file, text) -> {
            ScenarioParser.Parsed parsed = parser.parse(file, text);
            scenarios.addAll(parsed.scenarios());
            problems.addAll(parsed.problems());
        });
        scenarios.addAll(expanded.examples(problems));
        return new Prepared(expanded, compiled, vocabulary.vocabulary(), words, scenarios, problems);
    }

    /**
     * Compiles the sources and runs their scenarios; the set is accepted when nothing is wrong. With a cache, sources
     * accepted before (same text, same application) are read back instead, and an accepted set is kept for next time.
     */
    public Result load(RuleSources sources) {
        if (cache == null) {
            return compileAndCheck(sources);
        }
        String key = CompiledRuleCache.key(sources, requireExercised);
        java.util.Optional<Result> restored = cached(sources, key);
        if (restored.isPresent()) {
            return restored.get();
        }
        Result result = compileAndCheck(sources);
        if (result.accepted()) {
            cache.write(key, result.ruleSet().kieBase(), result.ruleSet().phrases(), result.scenarios());
        }
        return result;
    }

    /** The set these sources gave when they were accepted before, read back from the cache; empty when it holds none. */
    public java.util.Optional<Result> cached(RuleSources sources) {
        return cache == null ? java.util.Optional.empty() : cached(sources, CompiledRuleCache.key(sources, requireExercised));
    }

    private java.util.Optional<Result> cached(RuleSources sources, String key) {
        return cache.read(key, RuleCompiler.classes()).flatMap(entry -> restored(sources, entry));
    }

    /** A set from the cache, served as the accepted load it was; empty when the vocabulary does not parse (never cached so). */
    private java.util.Optional<Result> restored(RuleSources sources, CompiledRuleCache.Entry entry) {
        VocabularyParser.Parsed vocabulary = vocabularies.parse(sources.vocabulary());
        if (vocabulary.vocabulary() == null) {
            return java.util.Optional.empty();
        }
        RuleCompiler.Result compiled;
        try {
            compiled = compiler.restore(entry);
        } catch (RuntimeException | LinkageError e) {
            // An entry the engine cannot put together again is compiled anew, as if it were not there.
            org.jboss.logging.Logger.getLogger(RuleSetLoader.class).warnf("event=rules.cache outcome=unusable version=%s reason=\"%s\"", sources.version(), e);
            return java.util.Optional.empty();
        }
        RuleSet ruleSet = new RuleSet(sources.version(), Instant.now(), List.copyOf(sources.files().keySet()), compiled.rules(), entry.scenarios(),
                compiled.kieBase(), compiled.phrases(), vocabulary.vocabulary());
        return java.util.Optional.of(new Result(sources.version(), ruleSet, compiled.rules(), List.of(), entry.scenarios(), 0));
    }

    private Result compileAndCheck(RuleSources sources) {
        String version = sources.version();
        Prepared prepared = prepare(sources);
        RuleCompiler.Result compiled = prepared.compiled();
        List<RuleProblem> problems = prepared.problems();
        List<Scenario> scenarios = prepared.scenarios();
        int failed = 0;
        RuleSet candidate = null;
        // A word outside the vocabulary is named once, where it is written; its scenarios are not run to fail on it again.
        if (compiled.ok() && prepared.vocabulary() != null && prepared.words().isEmpty()) {
            candidate = prepared.ruleSet(sources);
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
                problems.addAll(prepared.expanded().placed(RuleCoverage.unexercised(compiled.rules(), fired, prepared.expanded().drl())));
            }
        }
        if (!problems.isEmpty()) {
            return new Result(version, null, compiled.rules(), List.copyOf(problems), scenarios.size(), failed);
        }
        return new Result(version, candidate, compiled.rules(), List.of(), scenarios.size(), 0);
    }
}
