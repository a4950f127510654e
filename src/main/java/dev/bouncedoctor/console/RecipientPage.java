package dev.bouncedoctor.console;

import dev.bouncedoctor.maillog.MailLogExceptions.NotFound;
import dev.bouncedoctor.maillog.RecipientDetail;
import dev.bouncedoctor.maillog.RecipientDetailService;
import dev.bouncedoctor.maillog.RemovalView;
import dev.bouncedoctor.maillog.SuppressionRemovalService;
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

/**
 * A recipient (seed 000): the invalid-email icon with its reason on hover, whether the address is on the bounce
 * list and who took it off before, and its latest events.
 */
@Path("/console/recipients")
@RolesAllowed(Roles.READ)
@Produces(MediaType.TEXT_HTML)
public class RecipientPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance recipient(Viewer viewer, String address, List<FieldError> errors, RecipientDetail detail,
                                                 List<RemovalView> removals, boolean removed);
    }

    private final RecipientDetailService recipients;
    private final SuppressionRemovalService removals;
    private final SecurityIdentity caller;

    public RecipientPage(RecipientDetailService recipients, SuppressionRemovalService removals, SecurityIdentity caller) {
        this.recipients = recipients;
        this.removals = removals;
        this.caller = caller;
    }

    /** {@code removed}: the page was reached from "mark as valid", which says so. */
    @GET
    public Response recipient(@RestQuery String address, @RestQuery boolean removed) {
        Viewer viewer = Viewer.of(caller);
        if (address == null || address.isBlank()) {
            return Response.ok(Templates.recipient(viewer, "", List.of(), null, List.of(), false)).build();
        }
        try {
            RecipientDetail detail = recipients.recipient(address);
            return Response.ok(Templates.recipient(viewer, address.trim(), List.of(), detail, removals.history(address), removed)).build();
        } catch (InvalidFactException e) {
            return Response.status(400).entity(Templates.recipient(viewer, address, e.errors(), null, List.of(), false)).build();
        } catch (NotFound e) {
            return Response.status(404).entity(Templates.recipient(viewer, address, List.of(new FieldError("address", e.getMessage())), null, List.of(), false)).build();
        }
    }
}
