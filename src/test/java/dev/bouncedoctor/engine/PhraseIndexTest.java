package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.DeliveryFact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhraseIndexTest {

    private static final List<String> PHRASES = List.of("user unknown", "recipient address rejected: user unknown", "unknown", "nown u", "é", "quota");

    private static DeliveryFact fact(String message) {
        return new DeliveryFact(null, null, null, null, null, null, message, null, null);
    }

    @Test
    void answersWhatContainsAnswersForEveryPhraseOverlappingOrNot() {
        PhraseIndex index = new PhraseIndex(PHRASES);
        for (String message : List.of("550 5.1.1 <a@b>: Recipient address rejected: User unknown in local recipient table",
                "Unknown", "mailbox full", "Adresse ÉTRANGÈRE inconnue", "", "user unknow")) {
            DeliveryFact indexed = index.index(fact(message));
            for (int i = 0; i < PHRASES.size(); i++) {
                assertEquals(indexed.text().contains(PHRASES.get(i)), indexed.phrases().has(i, PHRASES.get(i)),
                        () -> "'" + message + "'");
            }
        }
    }

    @Test
    void aPhraseTheIndexDoesNotNumberSoIsLookedForInTheText() {
        DeliveryFact indexed = new PhraseIndex(PHRASES).index(fact("the mailbox is full"));
        assertTrue(indexed.phrases().has(5, "mailbox is full"), "number 5 is 'quota', not this phrase");
        assertTrue(indexed.phrases().has(99, "mailbox"), "a number out of range");
        assertFalse(indexed.phrases().has(99, "quota exceeded"));
    }

    @Test
    void aFactIndexedByAnotherIndexOrByNoneStillAnswersRight() {
        DeliveryFact other = new PhraseIndex(List.of("quota", "user unknown")).index(fact("User unknown"));
        assertTrue(other.phrases().has(0, "user unknown"), "number 0 of this index is 'user unknown'");
        assertFalse(other.phrases().has(1, "quota"));
        DeliveryFact unindexed = fact("User unknown");
        assertTrue(unindexed.phrases().has(0, "user unknown"));
        assertFalse(unindexed.phrases().has(0, "quota"));
    }

    @Test
    void phrasesFoundInAnotherTextAreNotCarriedOver() {
        DeliveryFact indexed = new PhraseIndex(PHRASES).index(fact("user unknown"));
        DeliveryFact recoded = indexed.withCodes(550, "5.1.1");
        assertTrue(recoded.phrases().has(0, "user unknown"));
        DeliveryFact forged = new DeliveryFact(null, null, null, null, null, null, "mailbox full", null, null, null, indexed.phrases());
        assertFalse(forged.phrases().has(0, "user unknown"), "the phrases of 'user unknown' must not answer for 'mailbox full'");
    }

    @Test
    void indexesAFactOnceButAgainForAnotherIndex() {
        PhraseIndex index = new PhraseIndex(PHRASES);
        DeliveryFact once = index.index(fact("User unknown"));
        assertTrue(once == index.index(once), "already indexed by this index");
        PhraseIndex other = new PhraseIndex(List.of("quota", "user unknown"));
        DeliveryFact again = other.index(once);
        assertTrue(again != once);
        assertTrue(again.phrases().has(1, "user unknown"));
    }

    @Test
    void refusesARepeatedPhraseBecauseItsNumberWouldBeAmbiguous() {
        assertThrows(IllegalArgumentException.class, () -> new PhraseIndex(List.of("a", "a")));
    }

    /** A number no phrase of the set holds (numbers are kept for the process, see CompiledUnits) answers from the text. */
    @Test
    void anEmptyPlaceNumbersNoPhrase() {
        PhraseIndex index = new PhraseIndex(List.of("", "quota"));
        assertFalse(index.numbers(0, ""));
        assertTrue(index.numbers(1, "quota"));
        assertTrue(index.scan("Over Quota", "over quota").has(1, "quota"));
        assertTrue(index.scan("x", "x").has(0, "x"), "a phrase at a number the index does not hold is looked for in the text");
    }
}
