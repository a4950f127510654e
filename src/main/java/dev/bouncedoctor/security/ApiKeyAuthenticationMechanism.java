package dev.bouncedoctor.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;

/**
 * Reads an API key from {@code X-API-Key}, or from {@code Authorization: Bearer} when the value has
 * the key prefix (for tools that only know bearer tokens). Any other bearer value is left to
 * quarkus-oidc, which runs after this mechanism. No key: no identity, so OIDC (or anonymous) follows.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";

    private final UnauthenticatedResponse unauthenticated;

    public ApiKeyAuthenticationMechanism(UnauthenticatedResponse unauthenticated) {
        this.unauthenticated = unauthenticated;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = presentedKey(context);
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyAuthenticationRequest(key), context));
    }

    static String presentedKey(RoutingContext context) {
        String header = context.request().getHeader(HEADER);
        if (header != null) {
            return header.trim();
        }
        String authorization = context.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String value = authorization.substring(BEARER.length()).trim();
            if (value.startsWith(ApiKeys.PREFIX)) {
                return value;
            }
        }
        return null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, Map.of("WWW-Authenticate", String.join(", ", UnauthenticatedResponse.CHALLENGES))));
    }

    /** This mechanism runs first, so its challenge is the one sent: the problem+json 401 that every refusal gets. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        unauthenticated.send(context);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, HEADER, "api-key"));
    }

    /** Before quarkus-oidc's bearer mechanism, which would otherwise reject a bdk_ bearer value as a malformed token. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 500;
    }
}
