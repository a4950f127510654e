package dev.bouncedoctor.diagnosis;

import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.rules.RuleRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Diagnoses with the rule set serving at the moment each input arrives. Every diagnosis the service makes passes
 * through {@link #diagnose(DiagnosisInput)}, which announces it ({@link DiagnosisMade}), so metrics see them all.
 */
@ApplicationScoped
public class DiagnosisService {

    private final RuleRegistry registry;
    private final Event<DiagnosisMade> made;
    private final Normaliser normaliser = new Normaliser();

    public DiagnosisService(RuleRegistry registry, Event<DiagnosisMade> made) {
        this.registry = registry;
        this.made = made;
    }

    /** A fact as a caller sent it: normalised (and refused when invalid), then diagnosed on its own. */
    public DiagnosisReport diagnose(DeliveryFact fact) {
        return diagnose(DiagnosisInput.of(normaliser.normalise(fact)));
    }

    /** An input whose fact its caller has normalised (the mail log, a raw mail's recipients). */
    public DiagnosisReport diagnose(DiagnosisInput input) {
        DiagnosisReport report = serving().diagnose(input);
        made.fire(new DiagnosisMade(report));
        return report;
    }

    /** Validates the whole batch first, so that one bad fact rejects the batch before any work is done. */
    public List<DiagnosisReport> diagnoseAll(List<DeliveryFact> facts) {
        List<InvalidFactException.FieldError> errors = new ArrayList<>();
        List<DeliveryFact> normalised = new ArrayList<>(facts.size());
        for (int i = 0; i < facts.size(); i++) {
            try {
                normalised.add(normaliser.normalise(facts.get(i)));
            } catch (InvalidFactException e) {
                errors.addAll(e.prefixed("[" + i + "].").errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        List<DiagnosisReport> reports = new ArrayList<>(normalised.size());
        for (DeliveryFact fact : normalised) {
            reports.add(diagnose(DiagnosisInput.of(fact)));
        }
        return reports;
    }

    /** The no-rules baseline's answers: at most this many distinct facts are remembered. */
    private static final int BASELINE_FACTS = 1000;
    private final java.util.Map<DeliveryFact, DiagnosisReport> baseline = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * For the HTTP benchmark's baseline (bench/diagnose.sh): the fact normalised as {@link #diagnose(DeliveryFact)} does,
     * and the report the rules gave the first time this fact was seen. A request for a fact seen before costs what
     * the HTTP layer, the security check, JSON and normalisation cost, without the rules: the figure the rules'
     * throughput is compared with.
     */
    public DiagnosisReport rememberedDiagnosis(DeliveryFact fact) {
        DeliveryFact normalised = normaliser.normalise(fact);
        DiagnosisReport known = baseline.get(normalised);
        if (known != null) {
            return known;
        }
        DiagnosisReport report = serving().diagnose(DiagnosisInput.of(normalised));
        if (baseline.size() < BASELINE_FACTS) {
            baseline.putIfAbsent(normalised, report);
        }
        return report;
    }

    private RuleSet serving() {
        return registry.current().orElseThrow(NoRuleSetException::new);
    }

    /** No rule set has loaded yet (the first one was refused): the service cannot diagnose. */
    public static class NoRuleSetException extends RuntimeException {
        public NoRuleSetException() {
            super("no rule set is loaded yet; see GET /v1/rules for the problems of the last load");
        }
    }
}
