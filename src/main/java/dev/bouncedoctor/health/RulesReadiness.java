package dev.bouncedoctor.health;

import dev.bouncedoctor.rules.RuleRegistry;
import dev.bouncedoctor.rules.RuleSet;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a rule set serves. A later refused edit does not take the pod out of service: the old
 * set keeps answering and the refusal shows here as detail.
 */
@Readiness
@ApplicationScoped
public class RulesReadiness implements HealthCheck {

    private final RuleRegistry registry;

    public RulesReadiness(RuleRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        RuleSet set = registry.current().orElse(null);
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("rules").status(set != null);
        if (set != null) {
            builder.withData("version", set.version()).withData("rules", set.rules().size());
        }
        registry.lastLoad().ifPresent(last -> {
            builder.withData("lastLoad", last.accepted() ? "accepted" : "refused");
            if (!last.problems().isEmpty()) {
                builder.withData("problems", last.problems().size()).withData("firstProblem", last.problems().get(0).toString());
            }
        });
        return builder.build();
    }
}
