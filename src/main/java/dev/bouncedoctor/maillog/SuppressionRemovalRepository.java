package dev.bouncedoctor.maillog;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

/** The audit of bounce-list removals: written once per removal, never changed. */
@ApplicationScoped
public class SuppressionRemovalRepository implements PanacheRepository<SuppressionRemoval> {

    /** Who took an address off the bounce list, and when: newest first. */
    public List<SuppressionRemoval> forAddress(String address) {
        return list("address", Sort.descending("removedAt", "id"), address);
    }
}
