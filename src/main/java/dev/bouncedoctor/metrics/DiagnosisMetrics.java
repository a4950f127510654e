package dev.bouncedoctor.metrics;

import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.bouncedoctor.diagnosis.DiagnosisMade;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts what the rules conclude. The tags come from the design's fixed vocabulary and from the
 * rule names of the serving set, so the number of series stays bounded.
 */
@ApplicationScoped
public class DiagnosisMetrics {

    private final MeterRegistry registry;

    public DiagnosisMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts each diagnosis the service makes, whichever way its input came. */
    void recorded(@Observes DiagnosisMade event) {
        DiagnosisReport report = event.report();
        for (int i = 0; i < report.diagnoses().size(); i++) {
            Diagnosis d = report.diagnoses().get(i);
            Counter.builder("bouncedoctor.diagnoses")
                    .description("Diagnoses produced, by reason and category; primary=true for the first of each report")
                    .tag("reason", d.reason()).tag("category", d.category()).tag("primary", Boolean.toString(i == 0))
                    .register(registry).increment();
        }
        for (String rule : report.rulesFired()) {
            Counter.builder("bouncedoctor.rules.fired")
                    .description("Reports in which a rule fired, by rule name")
                    .tag("rule", rule)
                    .register(registry).increment();
        }
    }
}
