package dev.bouncedoctor.preview;

import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.engine.RuleSetLoader;
import dev.bouncedoctor.engine.Scenario;
import dev.bouncedoctor.engine.ScenarioRunner;
import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.mail.BounceMailParser;
import dev.bouncedoctor.mail.BounceRecipient;
import dev.bouncedoctor.maillog.EventLogService;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.preview.RulePreview.Change;
import dev.bouncedoctor.preview.RulePreview.Section;
import dev.bouncedoctor.preview.RulePreview.Side;
import dev.bouncedoctor.rules.RuleRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * POST /v1/rules/preview: a proposed change compiled beside the serving rules (never served), and the same cases put
 * to both: every scenario, the newest events of the mail log (as reported, without the recipient's history, the same
 * for both sides) and, when configured, a directory of bounce mails. A case counts as changed when its primary reason,
 * category, retry or suppression differs.
 */
@ApplicationScoped
public class RulePreviewService {

    private final RuleRegistry registry;
    private final EventLogService log;
    private final Optional<String> corpusDir;
    private final int maxCorpusMails;
    private final int maxChanges;
    private final ScenarioRunner scenarios = new ScenarioRunner();
    private final Normaliser normaliser = Normaliser.forParsedMail();

    public RulePreviewService(RuleRegistry registry, EventLogService log,
                              @ConfigProperty(name = "rules.preview.corpus-dir") Optional<String> corpusDir,
                              @ConfigProperty(name = "rules.preview.corpus-max", defaultValue = "2000") int maxCorpusMails,
                              @ConfigProperty(name = "rules.preview.max-changes", defaultValue = "200") int maxChanges) {
        this.registry = registry;
        this.log = log;
        this.corpusDir = corpusDir.filter(d -> !d.isBlank());
        this.maxCorpusMails = maxCorpusMails;
        this.maxChanges = maxChanges;
    }

    public RulePreview preview(java.util.Map<String, String> edits, boolean overlay, int lastEvents) {
        RuleSet serving = registry.current().orElseThrow(() -> new IllegalStateException("no rule set is serving to compare with"));
        RuleSetLoader.Candidate candidate = registry.candidate(edits, overlay);
        if (candidate.ruleSet() == null) {
            return new RulePreview(false, null, candidate.problems(), null, null, null);
        }
        RuleSet proposed = candidate.ruleSet();
        Changes onScenarios = new Changes(maxChanges);
        for (Scenario scenario : candidate.scenarios()) {
            DiagnosisInput input;
            try {
                input = scenarios.input(scenario);
            } catch (RuntimeException e) {
                continue;
            }
            if (input != null) {
                onScenarios.compare("scenario " + scenario.file() + ":" + scenario.line() + " '" + scenario.name() + "'", serving, proposed, () -> input);
            }
        }
        Changes onEvents = new Changes(maxChanges);
        for (EventLogService.LoggedFact event : log.latest(lastEvents)) {
            onEvents.compare("event " + event.id(), serving, proposed, () -> new DiagnosisInput(normaliser.normalise(event.fact()), null, null));
        }
        Changes onCorpus = corpusDir.isEmpty() ? null : new Changes(maxChanges);
        if (onCorpus != null) {
            BounceMailParser parser = new BounceMailParser();
            for (Path mail : mails(Path.of(corpusDir.get()))) {
                List<BounceRecipient> recipients;
                try {
                    recipients = parser.parse(Files.readAllBytes(mail)).recipients();
                } catch (IOException | RuntimeException e) {
                    continue;
                }
                for (BounceRecipient r : recipients) {
                    onCorpus.compare(mail.getFileName() + " #" + r.index(), serving, proposed,
                            () -> new DiagnosisInput(normaliser.normalise(r.fact()), r.context(), null));
                }
            }
        }
        return new RulePreview(true, proposed.version(), candidate.problems(), onScenarios.section(), onEvents.section(),
                onCorpus == null ? null : onCorpus.section());
    }

    private List<Path> mails(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().limit(maxCorpusMails).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules.preview.corpus-dir " + dir, e);
        }
    }

    /** The cases of one source compared so far, and those that changed. */
    private static final class Changes {
        private final int max;
        private final List<Change> changes = new ArrayList<>();
        private int compared;
        private int changed;

        Changes(int max) {
            this.max = max;
        }

        void compare(String what, RuleSet serving, RuleSet proposed, Supplier<DiagnosisInput> input) {
            Side before = side(serving, input);
            Side after = side(proposed, input);
            compared++;
            if (!same(before, after)) {
                changed++;
                if (changes.size() < max) {
                    changes.add(new Change(what, before, after));
                }
            }
        }

        Section section() {
            return new Section(compared, changed, List.copyOf(changes));
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
                // A fact the rules refuse or fail on is a result too: a change may cause or cure it.
                return new Side(null, null, null, null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
