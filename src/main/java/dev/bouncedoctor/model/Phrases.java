package dev.bouncedoctor.model;

import java.util.BitSet;

/**
 * Answers "does the text contain this phrase?" for one fact. The rule compiler turns each rule's
 * {@code text contains "…"} into {@code phrases.has(n, "…")}, n being the phrase's number in the rule
 * set's phrase index (a {@link Numbering}), which has already found, in one pass over the text, every phrase the rules
 * ask about; so an answer is one bit instead of a scan. If the fact was indexed by some other index, or
 * by none, the phrase is looked for in the text: the answer is always exactly {@code text.contains(phrase)},
 * and the index makes rules faster, never different.
 */
public final class Phrases {

    /** The index that numbered a rule set's phrases: whether it gave {@code id} to {@code phrase}. */
    public interface Numbering {
        boolean numbers(int id, String phrase);

        /** The phrases a rule's conditions name ({@code text contains "…"}), for the evidence of its findings; none if unknown. */
        default java.util.List<String> phrasesOf(String rule) {
            return java.util.List.of();
        }
    }

    /** Where a rule's phrase stands in the text ({@code start}, {@code end}), and the message as written there. */
    public record Span(int start, int end, String evidence) {
    }

    /** Numbers no phrase. */
    private static final Numbering NO_INDEX = (id, phrase) -> false;

    /** Never set: an unindexed fact's answers all come from its text. */
    private static final BitSet NONE = new BitSet();

    /** The fact's message as given and its lower-cased text: a Phrases is only ever made from a fact's own pair. */
    private final String message;
    private final String text;
    private final Numbering index;
    private final BitSet found;

    /** The phrases {@code index} found in {@code text}, the lower-cased {@code message}. */
    public Phrases(String message, String text, Numbering index, BitSet found) {
        this.message = message;
        this.text = text;
        this.index = index;
        this.found = found;
    }

    /** For a fact no index has seen: every answer is a scan of the text. */
    static Phrases unindexed(String message, String text) {
        return new Phrases(message, text, NO_INDEX, NONE);
    }

    public boolean has(int id, String phrase) {
        return index.numbers(id, phrase) ? found.get(id) : text.contains(phrase);
    }

    /**
     * The first place in the text where one of the rule's phrases stands (the longest, when several start there), with the
     * message as written at that place; null when the rule names no phrase the text contains.
     */
    public Span span(String rule) {
        int start = -1;
        String found = null;
        for (String phrase : index.phrasesOf(rule)) {
            int at = text.indexOf(phrase);
            if (at >= 0 && (start < 0 || at < start || at == start && phrase.length() > found.length())) {
                start = at;
                found = phrase;
            }
        }
        return found == null ? null : new Span(start, start + found.length(), MatchText.source(message, start, start + found.length()));
    }

    /** Whether these phrases were found by that index. */
    public boolean foundBy(Numbering index) {
        return this.index == index;
    }

    /** Whether these are the phrases of this very message (the same object, not just equal text: that is what makes {@link #text()} its text). */
    boolean of(String message) {
        return this.message == message;
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
