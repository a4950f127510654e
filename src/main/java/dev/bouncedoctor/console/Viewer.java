package dev.bouncedoctor.console;

import io.quarkus.qute.TemplateData;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.Set;

/**
 * Who is looking at a console page: the key's (or token's) name and roles. Pages show only what the
 * roles allow; the endpoints behind them check the roles again, so a hidden button is a courtesy, not
 * the protection.
 */
@TemplateData
public record Viewer(String name, Set<String> roles) {

    static Viewer of(SecurityIdentity identity) {
        return new Viewer(identity.getPrincipal().getName(), Set.copyOf(identity.getRoles()));
    }

    public boolean can(String role) {
        return roles.contains(role);
    }
}
