package dev.bouncedoctor.diagnosis;

import java.util.BitSet;

/**
 * Answers "does the text contain this phrase?" for one fact. The rule compiler turns each rule's
 * {@code text contains "…"} into {@code phrases.has(n, "…")}, n being the phrase's number in the rule
 * set's {@link PhraseIndex}, which has already found, in one pass over the text, every phrase the rules
 * ask about; so an answer is one bit instead of a scan. If the fact was indexed by some other index, or
 * by none, the phrase is looked for in the text: the answer is always exactly {@code text.contains(phrase)},
 * and the index makes rules faster, never different.
 */
public final class Phrases {

    private final String text;
    private final PhraseIndex index;
    private final BitSet found;

    Phrases(String text, PhraseIndex index, BitSet found) {
        this.text = text;
        this.index = index;
        this.found = found;
    }

    /** For a fact no index has seen: every answer is a scan of the text. */
    static Phrases unindexed(String text) {
        return new Phrases(text, PhraseIndex.EMPTY, new BitSet());
    }

    public boolean has(int id, String phrase) {
        return index.numbers(id, phrase) ? found.get(id) : text.contains(phrase);
    }

    boolean foundBy(PhraseIndex index) {
        return this.index == index;
    }

    String text() {
        return text;
    }

    /** Two views of the same text give the same answers, whichever index made them. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Phrases other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return "Phrases" + found;  // the found phrases' numbers in the index
    }
}
