package dev.bouncedoctor.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A signed-in console session: the encrypted session cookie names the key that signed in, and every
 * request looks the key up again, so that revoking a key (or changing its roles) takes effect on the
 * next page, not when the cookie expires.
 */
@ApplicationScoped
public class ConsoleSession implements IdentityProvider<TrustedAuthenticationRequest> {

    private final ApiKeys keys;

    public ConsoleSession(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> keys.find(request.getPrincipal())
                .filter(key -> key.revokedAt() == null)
                .map(key -> ConsoleSignIn.identity(key.name(), key.roles()))
                .orElseThrow(AuthenticationFailedException::new));
    }
}
