package dev.bouncedoctor.maillog;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The jar serves the database kind it was built for: Quarkus fixes a datasource's db-kind at build
 * time (h2 by default, postgresql with -Dquarkus.datasource.db-kind=postgresql). DB_KIND, when set
 * (the Kubernetes manifests set it), must name that kind; otherwise the start stops here, before
 * Flyway's migration opens the first connection, saying which build to use, instead of failing
 * later on a driver that does not take the URL, or serving from an embedded file by mistake.
 */
@ApplicationScoped
public class DatabaseKindCheck implements FlywayConfigurationCustomizer {

    private final String builtFor;
    private final Optional<String> wanted;

    public DatabaseKindCheck(@ConfigProperty(name = "quarkus.datasource.db-kind") String builtFor,
                             @ConfigProperty(name = "DB_KIND") Optional<String> wanted) {
        this.builtFor = builtFor;
        this.wanted = wanted;
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        check(builtFor, wanted.orElse(null));
    }

    /** Refuses a DB_KIND other than the kind the jar was built for; unset or blank is the jar's kind. */
    static void check(String builtFor, String wanted) {
        if (wanted == null || wanted.isBlank() || wanted.trim().equals(builtFor)) {
            return;
        }
        String build = "postgresql".equals(wanted.trim()) ? "./mvnw package -Dquarkus.datasource.db-kind=postgresql"
                : "h2".equals(wanted.trim()) ? "./mvnw package" : null;
        throw new IllegalStateException("DB_KIND is '" + wanted.trim() + "', but this jar was built for " + builtFor
                + ": Quarkus fixes the database kind when the jar is built. "
                + (build == null ? "The kinds are h2 (the default build) and postgresql (built with -Dquarkus.datasource.db-kind=postgresql)."
                        : "Build it for " + wanted.trim() + " with '" + build + "'")
                + " (see README, Storage), or leave DB_KIND unset to use the jar's kind.");
    }
}
