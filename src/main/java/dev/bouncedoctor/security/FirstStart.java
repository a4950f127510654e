package dev.bouncedoctor.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The embedded default is not open, yet must be usable right away: on a start with no API key at
 * all and no OIDC configured, one key with every role is created and printed once to the log (as
 * Grafana or Jenkins hand out a first admin secret). Every role, because the README's first
 * {@code curl} must work with it; the log says how to make narrower keys and revoke this one.
 * <p>
 * On Kubernetes a key is configured instead ({@code SECURITY_BOOTSTRAP_KEY}, from a Secret): it is
 * stored, hashed, under the name {@value #CONFIGURED_KEY_NAME}, and never printed.
 */
@ApplicationScoped
public class FirstStart {

    private static final Logger LOG = Logger.getLogger(FirstStart.class);

    static final String FIRST_KEY_NAME = "first-admin";
    static final String CONFIGURED_KEY_NAME = "bootstrap";

    /** What a start did about the first key; {@code key} is set only for a generated key (the test's seam to the printed value). */
    public record Outcome(Kind kind, String key) {
        public enum Kind { GENERATED, CONFIGURED_STORED, NOTHING }

        static Outcome nothing() {
            return new Outcome(Kind.NOTHING, null);
        }
    }

    private final ApiKeys keys;
    private final boolean enabled;
    private final Optional<String> configuredKey;
    private final boolean oidcEnabled;
    private final Optional<String> oidcServer;

    public FirstStart(ApiKeys keys,
                      @ConfigProperty(name = "security.first-start.enabled", defaultValue = "true") boolean enabled,
                      @ConfigProperty(name = "security.bootstrap-key") Optional<String> configuredKey,
                      @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidcEnabled,
                      @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> oidcServer) {
        this.keys = keys;
        this.enabled = enabled;
        this.configuredKey = configuredKey.map(String::trim).filter(k -> !k.isEmpty());
        this.oidcEnabled = oidcEnabled;
        this.oidcServer = oidcServer;
    }

    /** After Flyway has migrated (that happens before StartupEvent). The jar's keys command switches this off. */
    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            run();
        }
    }

    public Outcome run() {
        if (configuredKey.isPresent()) {
            storeConfigured(configuredKey.get());
            return new Outcome(Outcome.Kind.CONFIGURED_STORED, null);
        }
        if (oidcConfigured() || !keys.isEmpty()) {
            return Outcome.nothing();
        }
        String key = keys.generate();
        if (keys.insert(FIRST_KEY_NAME, key, Roles.ALL).isEmpty()) {
            LOG.info("event=security.first-key outcome=created-elsewhere detail=\"another instance created the first key at the same moment; its log shows it\"");
            return Outcome.nothing();
        }
        announce(key);
        return new Outcome(Outcome.Kind.GENERATED, key);
    }

    boolean oidcConfigured() {
        return oidcEnabled && oidcServer.filter(s -> !s.isBlank()).isPresent();
    }

    private void storeConfigured(String key) {
        if (!ApiKeys.isWellFormed(key)) {
            // Fail the start: a Secret with a typo must not leave the service without its key, nor store a guessable one.
            throw new IllegalStateException("SECURITY_BOOTSTRAP_KEY (security.bootstrap-key) is not a usable key: it must be '" + ApiKeys.PREFIX
                    + "' followed by 43 to 256 letters, digits, '-' or '_', e.g. made with: echo " + ApiKeys.PREFIX + "$(openssl rand -hex 32)");
        }
        Optional<ApiKeys.KeyView> stored = keys.findByKey(key);
        if (stored.isPresent()) {
            if (stored.get().revokedAt() != null) {
                LOG.warnf("event=security.bootstrap-key outcome=revoked name=%s detail=\"the configured bootstrap key was revoked and stays so; remove SECURITY_BOOTSTRAP_KEY\"", stored.get().name());
            }
            return;
        }
        if (keys.insert(CONFIGURED_KEY_NAME, key, Roles.ALL).isPresent()) {
            LOG.infof("event=security.bootstrap-key outcome=stored name=%s roles=%s", CONFIGURED_KEY_NAME, String.join(",", Roles.ALL));
        } else if (keys.findByKey(key).isEmpty()) {
            LOG.warnf("event=security.bootstrap-key outcome=ignored name=%s detail=\"a different key was stored as '%s' before; the configured one is not used. "
                    + "Create further keys with the keys command instead of changing SECURITY_BOOTSTRAP_KEY\"", CONFIGURED_KEY_NAME, CONFIGURED_KEY_NAME);
        }
    }

    /** The one time a secret goes to the log, on purpose: nobody could get in otherwise. */
    private static void announce(String key) {
        LOG.warnf("""
                event=security.first-key outcome=created name=%1$s roles=%2$s
                ------------------------------------------------------------------------------------------
                No API key existed and no OIDC provider is configured, so this key was created with EVERY
                role (%2$s). It is shown only this once and stored only as a hash: keep it safe.

                    %3$s

                Send it with each request, e.g.
                    curl -s localhost:8080/v1/diagnoses -H 'X-API-Key: %3$s' \\
                         -H 'content-type: application/json' -d '{"smtpCode":550,"enhancedCode":"5.1.1"}'
                Give tools keys with only the roles they need, then revoke this one:
                    java -jar quarkus-run.jar keys create --name support-ui --role diagnose --role read
                    java -jar quarkus-run.jar keys revoke --name %1$s
                ------------------------------------------------------------------------------------------""",
                FIRST_KEY_NAME, String.join(", ", Roles.ALL), key);
    }
}
