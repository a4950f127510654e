package dev.bouncedoctor.metrics;

import dev.bouncedoctor.rules.RuleSetLoaded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Rule loads as metrics: reloads by outcome, and an info gauge whose {@code version} tag is the set
 * serving now, so that replicas can be compared with one query. It listens to the registry's
 * {@link RuleSetLoaded} events rather than being called.
 */
@Singleton
public class RuleSetMetrics {

    private final Counter accepted;
    private final Counter refused;
    private final MultiGauge serving;

    public RuleSetMetrics(MeterRegistry registry) {
        // Both outcomes exist from the start, so that a rate over "refused" is 0 rather than absent.
        this.accepted = reloads(registry, "accepted");
        this.refused = reloads(registry, "refused");
        this.serving = MultiGauge.builder("bouncedoctor.rule.set.info")
                .description("1 for the rule set this instance serves, tagged with its version")
                .register(registry);
    }

    void loaded(@Observes RuleSetLoaded event) {
        (event.report().accepted() ? accepted : refused).increment();
        if (event.serving() != null) {
            // Overwrite the rows: the previous version's series disappears instead of lingering at 1.
            serving.register(List.of(MultiGauge.Row.of(Tags.of("version", event.serving().version()), 1)), true);
        }
    }

    private static Counter reloads(MeterRegistry registry, String outcome) {
        return Counter.builder("bouncedoctor.rules.reloads")
                .description("Rule set loads, accepted (now serving) or refused (the previous set kept serving)")
                .tag("outcome", outcome)
                .register(registry);
    }
}
