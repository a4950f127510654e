package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.Phrases;
import com.hankcs.algorithm.AhoCorasickDoubleArrayTrie;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The literal phrases a rule set looks for in {@link DeliveryFact#text()}, in one Aho-Corasick automaton.
 * Testing a thousand phrases one by one costs a thousand scans of every message; the automaton finds
 * all of them, overlapping ones included, in a single scan. A phrase's number is its position in the
 * list it was built from. Immutable; shared by every session of a rule set.
 */
public final class PhraseIndex implements Phrases.Numbering {

    /** Knows no phrase: every question goes to the text itself. */
    public static final PhraseIndex EMPTY = new PhraseIndex(List.of());

    /** Each rule's phrases, for the evidence of its findings (see Phrases.span); kept also when the phrases are not indexed. */
    private final Map<String, List<String>> byRule;

    /** Interned, as the compiled rules' string constants are: checking a phrase's number is then one reference comparison. */
    private final String[] phrases;
    private final AhoCorasickDoubleArrayTrie<Integer> automaton = new AhoCorasickDoubleArrayTrie<>();

    /** @param phrases distinct phrases, each numbered by its position; an empty one holds a place no phrase has */
    public PhraseIndex(List<String> phrases) {
        this(phrases, Map.of());
    }

    /** @param byRule the phrases each rule names, by rule name */
    public PhraseIndex(List<String> phrases, Map<String, List<String>> byRule) {
        this.byRule = Map.copyOf(byRule);
        this.phrases = phrases.stream().map(String::intern).toArray(String[]::new);
        TreeMap<String, Integer> numbered = new TreeMap<>();
        for (int i = 0; i < this.phrases.length; i++) {
            // An empty place is a number no phrase of this set holds (numbers kept for the process, see CompiledUnits).
            if (!this.phrases[i].isEmpty() && numbered.put(this.phrases[i], i) != null) {
                throw new IllegalArgumentException("phrase " + i + " is repeated: '" + this.phrases[i] + "'");
            }
        }
        if (!numbered.isEmpty()) {
            // Case-sensitive and reporting overlapping matches: the answers must be those of String.contains.
            automaton.build(numbered);
        }
    }

    /** The phrases, each at its number. */
    public List<String> phrases() {
        return List.of(phrases);
    }

    /** The fact as the rules should see it: with the phrases of its text already found (by this index: then as it is). */
    public DeliveryFact index(DeliveryFact fact) {
        if (fact.phrases().foundBy(this) || phrases.length == 0 && byRule.isEmpty()) {
            return fact;
        }
        return fact.withPhrases(phrases.length == 0 ? new Phrases(fact.message(), fact.text(), this, new BitSet()) : scan(fact.message(), fact.text()));
    }

    Phrases scan(String message, String text) {
        BitSet found = new BitSet(phrases.length);
        AhoCorasickDoubleArrayTrie.IHit<Integer> hit = (begin, end, id) -> found.set(id);
        automaton.parseText(text, hit);
        return new Phrases(message, text, this, found);
    }

    /** Each rule's phrases, by rule name. */
    public Map<String, List<String>> byRule() {
        return byRule;
    }

    @Override
    public List<String> phrasesOf(String rule) {
        return byRule.getOrDefault(rule, List.of());
    }

    /** Whether this index numbers the phrase {@code id}. */
    @Override
    public boolean numbers(int id, String phrase) {
        return id >= 0 && id < phrases.length && !phrases[id].isEmpty() && phrases[id].equals(phrase);
    }
}
