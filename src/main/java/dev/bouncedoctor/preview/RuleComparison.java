package dev.bouncedoctor.preview;

import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.engine.Scenario;
import dev.bouncedoctor.engine.ScenarioRunner;
import dev.bouncedoctor.mail.BounceMailParser;
import dev.bouncedoctor.mail.BounceRecipient;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.preview.RulePreview.Change;
import dev.bouncedoctor.preview.RulePreview.Section;
import dev.bouncedoctor.preview.RulePreview.Side;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The same cases put to two rule sets, the serving one and a proposed one: a case counts as changed when its primary
 * reason, category, retry or suppression differs (or one set fails on it and the other does not). Shared by the
 * preview endpoint and the {@code preview} command.
 */
public final class RuleComparison {

    private final RuleSet before;
    private final RuleSet after;
    private final int maxChanges;
    private final ScenarioRunner runner = new ScenarioRunner();
    private final Normaliser normaliser = Normaliser.forParsedMail();

    public RuleComparison(RuleSet before, RuleSet after, int maxChanges) {
        this.before = before;
        this.after = after;
        this.maxChanges = maxChanges;
    }

    /** A new, empty tally for a source of cases. */
    public Changes changes() {
        return new Changes();
    }

    /** Every diagnosis scenario (address checks are not diagnoses; a case whose fact is invalid is skipped). */
    public Section scenarios(List<Scenario> scenarios) {
        Changes changes = new Changes();
        for (Scenario scenario : scenarios) {
            DiagnosisInput input;
            try {
                input = runner.input(scenario);
            } catch (RuntimeException e) {
                continue;
            }
            if (input != null) {
                changes.compare("scenario " + scenario.file() + ":" + scenario.line() + " '" + scenario.name() + "'", () -> input);
            }
        }
        return changes.section();
    }

    /** Every recipient of every mail; a file that is not a mail is skipped. */
    public Section mails(List<Path> mails) {
        Changes changes = new Changes();
        BounceMailParser parser = new BounceMailParser();
        for (Path mail : mails) {
            List<BounceRecipient> recipients;
            try {
                recipients = parser.parse(Files.readAllBytes(mail)).recipients();
            } catch (IOException | RuntimeException e) {
                continue;
            }
            for (BounceRecipient r : recipients) {
                changes.compare(mail + " #" + r.index(), () -> new DiagnosisInput(normaliser.normalise(r.fact()), r.context(), null));
            }
        }
        return changes.section();
    }

    /** The .eml files under a directory, its subdirectories too, in name order, at most {@code max}. */
    public static List<Path> mailsUnder(Path dir, int max) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().limit(max).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mails under " + dir, e);
        }
    }

    /** The cases of one source compared so far, and those that changed (the first maxChanges of them listed). */
    public final class Changes {
        private final List<Change> changes = new ArrayList<>();
        private int compared;
        private int changed;

        public void compare(String what, Supplier<DiagnosisInput> input) {
            Side was = side(before, input);
            Side would = side(after, input);
            compared++;
            if (!same(was, would)) {
                changed++;
                if (changes.size() < maxChanges) {
                    changes.add(new Change(what, was, would));
                }
            }
        }

        public Section section() {
            return new Section(compared, changed, List.copyOf(changes));
        }
    }

    private static boolean same(Side a, Side b) {
        return Objects.equals(a.reason(), b.reason()) && Objects.equals(a.category(), b.category()) && Objects.equals(a.retry(), b.retry())
                && Objects.equals(a.suppress(), b.suppress()) && Objects.equals(a.error(), b.error());
    }

    private static Side side(RuleSet rules, Supplier<DiagnosisInput> input) {
        try {
            DiagnosisReport report = rules.diagnose(input.get());
            Diagnosis d = report.primary();
            return new Side(d.reason(), d.category(), d.retry(), d.suppress(), d.rule(), null);
        } catch (RuntimeException e) {
            // A case the rules refuse or fail on is a result too: a change may cause or cure it.
            return new Side(null, null, null, null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
