package dev.bouncedoctor.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestQuery;

/** The console's front door: signing in and out, and the start page that points to what the roles allow. */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleHome {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Viewer viewer);

        static native TemplateInstance signIn(boolean failed, boolean signedOut, boolean identityProvider);
    }

    private final SecurityIdentity caller;
    /** How people sign in: "form" (an API key) or "code" (the identity provider, when OIDC is configured). */
    private final String signInMechanism;
    private static final String OIDC_SESSION_COOKIE = "q_session";
    private final String sessionCookiePath;

    public ConsoleHome(SecurityIdentity caller,
                       @ConfigProperty(name = "quarkus.http.auth.permission.console.auth-mechanism", defaultValue = "form") String signInMechanism,
                       @ConfigProperty(name = "quarkus.oidc.console.authentication.cookie-path", defaultValue = "/console") String sessionCookiePath) {
        this.caller = caller;
        this.signInMechanism = signInMechanism;
        this.sessionCookiePath = sessionCookiePath;
    }

    @GET
    @Authenticated
    public TemplateInstance home() {
        return Templates.home(Viewer.of(caller));
    }

    /** The form posts to Quarkus's form authentication (quarkus.http.auth.form.post-location), which checks the key. */
    @GET
    @Path("/sign-in")
    @PermitAll
    public TemplateInstance signIn(@RestQuery boolean failed, @RestQuery boolean out) {
        return Templates.signIn(failed, out, "code".equals(signInMechanism));
    }

    @GET
    @Path("/sign-out")
    @PermitAll
    public Response signOut(RoutingContext context) {
        // Signed in at the identity provider: end this application's session, the OIDC session cookie (Quarkus names it
        // q_session, with the tenant's suffix, in chunks when large); the provider's own session stays.
        for (var cookie : context.request().cookies()) {
            if (cookie.getName().startsWith(OIDC_SESSION_COOKIE)) {
                context.response().addCookie(io.vertx.core.http.Cookie.cookie(cookie.getName(), "").setPath(sessionCookiePath).setMaxAge(0));
            }
        }
        if (!"code".equals(signInMechanism)) {
            FormAuthenticationMechanism.logout(context);
        }
        return Response.seeOther(URI.create("/console/sign-in?out=true")).build();
    }
}
