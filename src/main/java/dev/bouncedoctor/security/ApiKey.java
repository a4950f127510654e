package dev.bouncedoctor.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A stored API key: its name, its roles and the SHA-256 of the key, never the key itself (see
 * {@link ApiKeys#hash}). Read and written through {@link ApiKeyRepository}, in the mail log's database.
 */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(nullable = false, length = 100)
    public String name;
    @Column(name = "key_hash", nullable = false, length = 64)
    public String keyHash;
    /** The roles, comma-separated, in {@link Roles#ALL}'s order. */
    @Column(nullable = false, length = 200)
    public String roles;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "last_used_at")
    public Instant lastUsedAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;

    List<String> roleList() {
        return roles.isEmpty() ? List.of() : Arrays.asList(roles.split(","));
    }
}
