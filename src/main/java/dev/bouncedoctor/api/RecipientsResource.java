package dev.bouncedoctor.api;

import dev.bouncedoctor.maillog.RecipientDetail;
import dev.bouncedoctor.maillog.RecipientDetailService;
import dev.bouncedoctor.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

@Path("/v1/recipients")
@RolesAllowed(Roles.READ)
@Produces(MediaType.APPLICATION_JSON)
public class RecipientsResource {

    private final RecipientDetailService recipients;

    public RecipientsResource(RecipientDetailService recipients) {
        this.recipients = recipients;
    }

    @GET
    @Path("/{address}")
    @Operation(summary = "A recipient's state and latest events", description = "flaggedInvalid, suppressed (with reason and since when), consecutive failures, last event.")
    public RecipientDetail recipient(@RestPath String address) {
        return recipients.recipient(address);
    }
}
