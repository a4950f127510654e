package dev.bouncedoctor.console;

import dev.bouncedoctor.api.BoundedWork;
import dev.bouncedoctor.maillog.MailLogExceptions.NotFound;
import dev.bouncedoctor.maillog.SenderDiagnosisService;
import dev.bouncedoctor.maillog.SenderReport;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.RestQuery;

/** A sender (seed 000's "many customers flagged → check your SMTP configuration"): its flagged recipients and the rules' verdict on them. */
@Path("/console/senders")
@RolesAllowed(Roles.READ)
@Produces(MediaType.TEXT_HTML)
public class SenderPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sender(Viewer viewer, String sender, List<FieldError> errors, SenderReport report);
    }

    private final SenderDiagnosisService senders;
    private final SecurityIdentity caller;

    public SenderPage(SenderDiagnosisService senders, SecurityIdentity caller) {
        this.senders = senders;
        this.caller = caller;
    }

    @GET
    @BoundedWork
    public Response sender(@RestQuery String sender) {
        Viewer viewer = Viewer.of(caller);
        if (sender == null || sender.isBlank()) {
            return Response.ok(Templates.sender(viewer, "", List.of(), null)).build();
        }
        try {
            return Response.ok(Templates.sender(viewer, sender.trim(), List.of(), senders.sender(sender))).build();
        } catch (InvalidFactException e) {
            return Response.status(400).entity(Templates.sender(viewer, sender, e.errors(), null)).build();
        } catch (NotFound e) {
            return Response.status(404).entity(Templates.sender(viewer, sender, List.of(new FieldError("sender", e.getMessage())), null)).build();
        }
    }
}
