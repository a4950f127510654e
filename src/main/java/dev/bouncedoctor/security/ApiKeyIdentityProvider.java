package dev.bouncedoctor.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a presented API key into an identity: the key's name is the principal, its roles the
 * identity's roles. Unknown, revoked and malformed keys fail alike.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    /** Identity attribute naming how the caller authenticated: {@code api-key}. */
    public static final String AUTHENTICATED_BY = "bounce-doctor.authenticated-by";

    private final ApiKeys keys;

    public ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        // The lookup is a database query: off the event loop.
        return context.runBlocking(() -> keys.authenticate(request.key())
                .map(caller -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(caller.name()))
                        .addRoles(new java.util.LinkedHashSet<>(caller.roles()))
                        .addAttribute(AUTHENTICATED_BY, "api-key")
                        .build())
                .orElseThrow(AuthenticationFailedException::new));
    }
}
