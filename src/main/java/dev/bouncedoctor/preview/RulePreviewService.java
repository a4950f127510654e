package dev.bouncedoctor.preview;

import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.engine.RuleSetLoader;
import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.maillog.EventLogService;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.preview.RulePreview.Section;
import dev.bouncedoctor.rules.RuleRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;
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
        RuleSet serving = registry.current().orElseThrow(DiagnosisService.NoRuleSetException::new);
        RuleSetLoader.Candidate candidate = registry.candidate(edits, overlay);
        if (candidate.ruleSet() == null) {
            return new RulePreview(false, null, candidate.problems(), null, null, null);
        }
        RuleSet proposed = candidate.ruleSet();
        RuleComparison compare = new RuleComparison(serving, proposed, maxChanges);
        Section onScenarios = compare.scenarios(candidate.scenarios());
        RuleComparison.Changes onEvents = compare.changes();
        for (EventLogService.LoggedFact event : log.latest(lastEvents)) {
            onEvents.compare("event " + event.id(), () -> new DiagnosisInput(normaliser.normalise(event.fact()), null, null));
        }
        Section onCorpus = corpusDir.map(dir -> compare.mails(RuleComparison.mailsUnder(Path.of(dir), maxCorpusMails))).orElse(null);
        return new RulePreview(true, proposed.version(), candidate.problems(), onScenarios, onEvents.section(), onCorpus);
    }
}
