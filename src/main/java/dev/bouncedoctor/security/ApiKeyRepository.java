package dev.bouncedoctor.security;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The stored API keys' queries; each key is found by its unique name or by its hash. */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepository<ApiKey> {

    Optional<ApiKey> byName(String name) {
        return find("name", name).singleResultOptional();
    }

    Optional<ApiKey> byHash(String hash) {
        return find("keyHash", hash).singleResultOptional();
    }

    /** Every key, oldest first, revoked ones included. */
    List<ApiKey> oldestFirst() {
        return listAll(Sort.by("createdAt", "id"));
    }

    /**
     * Records a use at {@code now} unless one after {@code cutoff} is recorded already; conditional,
     * so that replicas seeing the same stale value write it once between them.
     */
    int recordUse(long id, Instant now, Instant cutoff) {
        return update("lastUsedAt = ?1 where id = ?2 and (lastUsedAt is null or lastUsedAt < ?3)", now, id, cutoff);
    }
}
