package dev.bouncedoctor.console;

import dev.bouncedoctor.api.PageRefusals;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The console's "not allowed" page for a signed-in person whose key lacks a page's role. */
@ApplicationScoped
public class ConsoleRefusals implements PageRefusals {

    private final SecurityIdentity caller;

    public ConsoleRefusals(SecurityIdentity caller) {
        this.caller = caller;
    }

    @Override
    public boolean handles(Class<?> resource) {
        return resource.getPackageName().equals(ConsoleRefusals.class.getPackageName());
    }

    @Override
    public Response forbidden(List<String> roles) {
        return ConsoleErrors.forbidden(Viewer.of(caller), roles);
    }
}
