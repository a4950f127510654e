package dev.bouncedoctor.security;

import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.maillog.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The service's own API keys: created with a name and roles, shown once, stored only as a hash,
 * used until revoked. Support tooling, webhooks and scripts authenticate with them; people with an
 * identity provider use OIDC tokens instead.
 */
@ApplicationScoped
public class ApiKeys {

    /** Every key starts with this, so that a leaked key is recognisable (secret scanners, logs) and a bearer value can be told from a JWT. */
    public static final String PREFIX = "bdk_";
    /** 32 random bytes: 256 bits, 43 characters of unpadded base64url. */
    private static final int KEY_BYTES = 32;
    /**
     * What a key looks like: the prefix and at least 43 base64url characters (a generated key has
     * exactly 43; a configured bootstrap key may be longer, e.g. 64 hex digits). Anything else is
     * refused before the database is asked.
     */
    private static final Pattern KEY_SYNTAX = Pattern.compile("bdk_[A-Za-z0-9_-]{43,256}");
    private static final Pattern NAME_SYNTAX = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    /** The last use is recorded at most this often per key: an API call must not cost a write each time. */
    static final Duration LAST_USE_RESOLUTION = Duration.ofMinutes(1);

    /** A key as it may be shown: never its hash, never the key. */
    public record KeyView(String name, List<String> roles, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

        static KeyView of(ApiKey k) {
            return new KeyView(k.name, k.roleList(), k.createdAt, k.lastUsedAt, k.revokedAt);
        }
    }

    /** A new key: {@code key} is the only time the secret exists outside its holder. */
    public record CreatedKey(String name, List<String> roles, Instant createdAt, String key) {
    }

    /** Who a valid, unrevoked key belongs to. */
    public record Caller(String name, List<String> roles) {
    }

    /** Another key has this name already. */
    public static class NameTaken extends RuntimeException {
        public NameTaken(String name) {
            super("a key named '" + name + "' exists already; choose another name (revoked keys keep their names)");
        }
    }

    /** No key has this name. */
    public static class UnknownKey extends RuntimeException {
        public UnknownKey(String name) {
            super("there is no key named '" + name + "'; 'keys list' shows the names");
        }
    }

    private final ApiKeyRepository stored;
    private final SecureRandom random = new SecureRandom();

    public ApiKeys(ApiKeyRepository stored) {
        this.stored = stored;
    }

    // ---- managing keys ---------------------------------------------------------------------------

    /** Creates a key with a fresh random secret; the answer is the only place the secret appears. */
    public CreatedKey create(String name, Collection<String> roles) {
        List<String> ordered = checked(name, roles);
        String key = generate();
        ApiKey stored = insert(name, key, ordered).orElseThrow(() -> new NameTaken(name));
        return new CreatedKey(stored.name, ordered, stored.createdAt, key);
    }

    /** Every key, oldest first, revoked ones included. */
    public List<KeyView> list() {
        return inTransaction(() -> stored.oldestFirst().stream().map(KeyView::of).toList());
    }

    public Optional<KeyView> find(String name) {
        return inTransaction(() -> stored.byName(name).map(KeyView::of));
    }

    /** Revokes the named key from now on; revoking a revoked key changes nothing. */
    public KeyView revoke(String name) {
        return inTransaction(() -> {
            ApiKey k = stored.byName(name).orElseThrow(() -> new UnknownKey(name));
            if (k.revokedAt == null) {
                k.revokedAt = now();
            }
            return KeyView.of(k);
        });
    }

    public boolean isEmpty() {
        return inTransaction(() -> stored.count() == 0);
    }

    /**
     * Stores a key whose secret is known already (the first key, a configured bootstrap key).
     * Empty when the name is taken, also when another instance took it a moment ago: two replicas
     * starting together must not create two keys, nor fail.
     */
    Optional<ApiKey> insert(String name, String key, List<String> roles) {
        try {
            return Optional.of(inTransaction(() -> {
                ApiKey k = new ApiKey();
                k.name = name;
                k.keyHash = hash(key);
                k.roles = String.join(",", roles);
                k.createdAt = now();
                stored.persistAndFlush(k);
                return k;
            }));
        } catch (RuntimeException e) {
            if (isUniqueViolation(e) && find(name).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The stored key with this secret, revoked or not. */
    Optional<KeyView> findByKey(String key) {
        return inTransaction(() -> stored.byHash(hash(key)).map(KeyView::of));
    }

    // ---- authenticating ------------------------------------------------------------------------

    /**
     * The caller a presented key stands for; empty for a malformed, unknown or revoked key alike, so
     * that nobody can tell them apart. Records the use at most once a minute per key.
     */
    public Optional<Caller> authenticate(String presented) {
        if (!isWellFormed(presented)) {
            return Optional.empty();
        }
        String hash = hash(presented);
        return inTransaction(() -> {
            Optional<ApiKey> found = stored.byHash(hash);
            if (found.isEmpty() || found.get().revokedAt != null) {
                return Optional.empty();
            }
            ApiKey k = found.get();
            Instant now = now();
            Instant cutoff = now.minus(LAST_USE_RESOLUTION);
            if (k.lastUsedAt == null || k.lastUsedAt.isBefore(cutoff)) {
                stored.recordUse(k.id, now, cutoff);
            }
            return Optional.of(new Caller(k.name, k.roleList()));
        });
    }

    /** Whether a value has the shape of a key (prefix, alphabet, length); says nothing about whether it exists. */
    public static boolean isWellFormed(String key) {
        return key != null && KEY_SYNTAX.matcher(key).matches();
    }

    /**
     * SHA-256, hex. A fast unsalted hash is enough here, unlike for passwords: a key is 256 random
     * bits, so no dictionary or brute force gets anywhere near it, and a deterministic hash lets the
     * key be found with one indexed lookup instead of a slow comparison against every stored key.
     */
    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    String generate() {
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** The roles in their canonical order; names every field to fix. */
    static List<String> checked(String name, Collection<String> roles) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !NAME_SYNTAX.matcher(name).matches()) {
            errors.add(new FieldError("name", "1 to 100 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. support-ui"));
        }
        if (roles == null || roles.isEmpty()) {
            errors.add(new FieldError("roles", "give at least one role of " + Roles.ALL));
        } else {
            roles.stream().filter(r -> !Roles.isRole(r)).forEach(r -> errors.add(new FieldError("roles", "'" + r + "' is not a role; the roles are " + Roles.ALL)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        return Roles.ALL.stream().filter(roles::contains).toList();
    }

    /** Its own transaction; an unreachable database is a 503 to retry (as for the mail log), never a 401. */
    private static <T> T inTransaction(Callable<T> work) {
        return Transactions.inNewOrUnavailable(work);
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
