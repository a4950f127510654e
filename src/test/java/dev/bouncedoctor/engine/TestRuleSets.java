package dev.bouncedoctor.engine;

import java.time.Instant;
import java.util.List;

/** Rule sets for tests of the engine: compiled and given their vocabulary, without running their scenarios. */
final class TestRuleSets {

    private TestRuleSets() {
    }

    static RuleSet of(RuleSources sources, RuleCompiler.Result compiled) {
        VocabularyParser.Parsed vocabulary = new VocabularyParser().parse(sources.vocabulary());
        if (!vocabulary.problems().isEmpty()) {
            throw new IllegalStateException("the vocabulary does not load: " + vocabulary.problems());
        }
        return new RuleSet("test", Instant.EPOCH, List.of(), compiled.rules(), 0, compiled.kieBase(), compiled.phrases(), vocabulary.vocabulary());
    }
}
