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
import org.jboss.resteasy.reactive.RestQuery;

/** The console's front door: signing in and out, and the start page that points to what the roles allow. */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleHome {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Viewer viewer);

        static native TemplateInstance signIn(boolean failed, boolean signedOut);
    }

    private final SecurityIdentity caller;

    public ConsoleHome(SecurityIdentity caller) {
        this.caller = caller;
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
        return Templates.signIn(failed, out);
    }

    @GET
    @Path("/sign-out")
    @PermitAll
    public Response signOut(RoutingContext context) {
        FormAuthenticationMechanism.logout(context);
        return Response.seeOther(URI.create("/console/sign-in?out=true")).build();
    }
}
