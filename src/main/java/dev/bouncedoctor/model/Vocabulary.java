package dev.bouncedoctor.model;

import java.util.Set;
import java.util.TreeSet;

/**
 * The words clients depend on, as the rule set's {@code vocabulary.yaml} lists them: a rule that writes any other
 * word fails loudly (and with it the rule set's own scenarios) instead of reaching a client.
 */
public record Vocabulary(Set<String> reasons, Set<String> categories, Set<String> retries, Set<String> statuses, Set<String> verdicts) {

    public Vocabulary {
        reasons = Set.copyOf(reasons);
        categories = Set.copyOf(categories);
        retries = Set.copyOf(retries);
        statuses = Set.copyOf(statuses);
        verdicts = Set.copyOf(verdicts);
    }

    /** Why {@code word} is not a {@code kind} of this vocabulary, or null when it is one. */
    public String refusal(String kind, Set<String> words, String word) {
        return word != null && words.contains(word) ? null
                : kind + " '" + word + "' is not in the vocabulary (vocabulary.yaml): " + new TreeSet<>(words);
    }
}
