package dev.bouncedoctor.maillog;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** The audit of bounce-list removals: written once per removal, never changed. */
@ApplicationScoped
public class SuppressionRemovalRepository implements PanacheRepository<SuppressionRemoval> {
}
