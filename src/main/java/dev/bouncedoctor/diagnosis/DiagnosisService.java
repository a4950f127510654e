package dev.bouncedoctor.diagnosis;

import dev.bouncedoctor.metrics.DiagnosisMetrics;
import dev.bouncedoctor.rules.RuleRegistry;
import dev.bouncedoctor.rules.RuleSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Diagnoses facts with the rule set serving at the moment each fact arrives. */
@ApplicationScoped
public class DiagnosisService {

    private final RuleRegistry registry;
    private final Normaliser normaliser = new Normaliser();
    private final DiagnosisEngine engine = new DiagnosisEngine();
    private final DiagnosisMetrics metrics;

    public DiagnosisService(RuleRegistry registry, DiagnosisMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    public DiagnosisReport diagnose(DeliveryFact fact) {
        return diagnose(fact, List.of());
    }

    /** @param context further facts for the rules, e.g. the recipient's history */
    public DiagnosisReport diagnose(DeliveryFact fact, Collection<?> context) {
        DeliveryFact normalised = normaliser.normalise(fact);
        RuleSet rules = registry.current().orElseThrow(NoRuleSetException::new);
        return metrics.recorded(engine.run(rules.sessions(), rules.phrases(), rules.ref(), normalised, context));
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
        RuleSet rules = registry.current().orElseThrow(NoRuleSetException::new);
        List<DiagnosisReport> reports = new ArrayList<>(normalised.size());
        for (DeliveryFact fact : normalised) {
            reports.add(metrics.recorded(engine.run(rules.sessions(), rules.phrases(), rules.ref(), fact, List.of())));
        }
        return reports;
    }

    /** No rule set has loaded yet (the first one was refused): the service cannot diagnose. */
    public static class NoRuleSetException extends RuntimeException {
        public NoRuleSetException() {
            super("no rule set is loaded yet; see GET /v1/rules for the problems of the last load");
        }
    }
}
