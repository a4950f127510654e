package dev.bouncedoctor.health;

import dev.bouncedoctor.rules.RuleRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a rule set serves. A later refused edit does not take the pod out of service: the old
 * set keeps answering. The probe is open to anyone, so it answers UP or DOWN and nothing else; why a
 * load was refused (files, lines, the rules directory) is in GET /v1/rules, which needs the read role,
 * and in the log.
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
        return HealthCheckResponse.named("rules").status(registry.current().isPresent()).build();
    }
}
