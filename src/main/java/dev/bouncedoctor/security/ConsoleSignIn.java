package dev.bouncedoctor.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;

/**
 * Signing in to the console: Quarkus's form authentication posts the sign-in form, whose password field
 * holds an API key. The key is checked exactly as in the {@code X-API-Key} header, so a person signs in
 * with the same identity and roles their tooling uses; the user-name field is not used.
 */
@ApplicationScoped
public class ConsoleSignIn implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final ApiKeys keys;

    public ConsoleSignIn(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        String key = new String(request.getPassword().getPassword()).trim();
        return context.runBlocking(() -> keys.authenticate(key)
                .map(caller -> identity(caller.name(), caller.roles()))
                .orElseThrow(AuthenticationFailedException::new));
    }

    static SecurityIdentity identity(String name, java.util.List<String> roles) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(name))
                .addRoles(new LinkedHashSet<>(roles))
                .addAttribute(ApiKeyIdentityProvider.AUTHENTICATED_BY, "console")
                .build();
    }
}
