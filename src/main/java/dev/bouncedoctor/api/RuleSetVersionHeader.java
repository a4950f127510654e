package dev.bouncedoctor.api;

import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.rules.RuleRegistry;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every API answer names the rule set version of the instance that gave it, so that an operator
 * can tell when all replicas behind a Service serve the same rules.
 */
public class RuleSetVersionHeader {

    public static final String NAME = "X-Rule-Set-Version";

    private final RuleRegistry registry;

    public RuleSetVersionHeader(RuleRegistry registry) {
        this.registry = registry;
    }

    @ServerResponseFilter
    public void addVersion(ContainerResponseContext response) {
        String version = producedBy(response.getEntity());
        if (version == null) {
            version = registry.current().map(set -> set.version()).orElse(null);
        }
        if (version != null) {
            response.getHeaders().putSingle(NAME, version);
        }
    }

    /** A diagnosis names the set that produced it; a swap between diagnosing and answering must not mislabel it. */
    private static String producedBy(Object entity) {
        if (entity instanceof DiagnosisReport report) {
            return report.ruleSet().version();
        }
        if (entity instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof DiagnosisReport first) {
            return first.ruleSet().version();
        }
        return null;
    }
}
