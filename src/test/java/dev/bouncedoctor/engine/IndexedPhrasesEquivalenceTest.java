package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.mail.BounceMailParser;
import dev.bouncedoctor.mail.BounceRecipient;
import dev.bouncedoctor.mail.ParsedMail;
import dev.bouncedoctor.diagnosis.MailReports;
import dev.bouncedoctor.mail.MalformedMailException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compiled rules look phrases up in a {@link PhraseIndex} instead of scanning for each; that must never
 * change an answer. Every recipient of the bounce corpus is diagnosed by the rules as served and by the
 * rules exactly as written: same diagnoses, same rules fired. And each phrase's bit agrees with
 * {@code String.contains} on every corpus text, including phrases that a short-circuit would hide.
 */
class IndexedPhrasesEquivalenceTest {

    private static final Path CORPUS = Path.of("src/test/resources/corpus/sisimai/maildir/bsd");

    private static RuleCompiler.Result indexed;
    private static RuleCompiler.Result asWritten;
    private static final List<byte[]> mails = new ArrayList<>();

    @BeforeAll
    static void compileBothWays() throws IOException {
        RuleSources sources = RuleSources.read(Path.of("rules"));
        indexed = new RuleCompiler().compile(sources.drl());
        asWritten = new RuleCompiler().compileAsWritten(sources.drl());
        assertTrue(indexed.ok() && asWritten.ok(), () -> indexed.problems() + " " + asWritten.problems());
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".eml")).sorted().toList()) {
                mails.add(Files.readAllBytes(file));
            }
        }
    }

    @Test
    void theServedRulesIndexTheirTextPhrases() {
        assertTrue(indexed.phrases().phrases().size() > 500, "the phrases of the rules' text contains: " + indexed.phrases().phrases().size());
        assertEquals(List.of(), asWritten.phrases().phrases());
    }

    @Test
    void everyCorpusRecipientGetsTheSameDiagnosisEitherWay() {
        RuleSet fast = ruleSet(indexed);
        RuleSet reference = ruleSet(asWritten);
        MailReports diagnosis = new MailReports();
        BounceMailParser parser = new BounceMailParser();
        int recipients = 0;
        for (byte[] mail : mails) {
            List<DiagnosisReport> expected;
            ParsedMail parsed;
            try {
                parsed = parser.parse(mail);
            } catch (MalformedMailException e) {
                continue;
            }
            expected = diagnosis.report(parsed, reference::diagnose).reports();
            List<DiagnosisReport> actual = diagnosis.report(parsed, fast::diagnose).reports();
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).diagnoses(), actual.get(i).diagnoses(), expected.get(i).fact().message());
                // The same rules; the served rules are put together file by file (CompiledUnits), the reference as one
                // compile, so rules that wait on nothing of each other may fire in another order; the answers above may not differ.
                assertEquals(expected.get(i).rulesFired().stream().sorted().toList(), actual.get(i).rulesFired().stream().sorted().toList(),
                        expected.get(i).fact().message());
                recipients++;
            }
        }
        assertTrue(recipients > 600, "recipients compared: " + recipients);
    }

    @Test
    void everyPhraseBitAgreesWithContainsOnEveryCorpusText() {
        BounceMailParser parser = new BounceMailParser();
        // Facts from mails, normalised as the service normalises them (a NUL in a mail's text is a blank, not an error).
        Normaliser normaliser = Normaliser.forParsedMail();
        List<String> phrases = indexed.phrases().phrases();
        int found = 0;
        for (byte[] mail : mails) {
            List<BounceRecipient> recipients;
            try {
                recipients = parser.parse(mail).recipients();
            } catch (MalformedMailException e) {
                continue;
            }
            for (BounceRecipient r : recipients) {
                DeliveryFact fact = indexed.phrases().index(normaliser.normalise(r.fact()));
                for (int i = 0; i < phrases.size(); i++) {
                    boolean contains = fact.text().contains(phrases.get(i));
                    assertEquals(contains, fact.phrases().has(i, phrases.get(i)), phrases.get(i) + " in " + fact.text());
                    found += contains ? 1 : 0;
                }
            }
        }
        assertTrue(found > 1000, "phrase occurrences checked: " + found);
    }

    private static RuleSet ruleSet(RuleCompiler.Result compiled) {
        return TestRuleSets.of(RuleSources.read(Path.of("rules")), compiled);
    }
}
