package dev.bouncedoctor.api;

import dev.bouncedoctor.maillog.SenderDiagnosisService;
import dev.bouncedoctor.maillog.SenderReport;
import dev.bouncedoctor.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

@Path("/v1/senders")
@RolesAllowed(Roles.READ)
@Produces(MediaType.APPLICATION_JSON)
public class SendersResource {

    private final SenderDiagnosisService senders;

    public SendersResource(SenderDiagnosisService senders) {
        this.senders = senders;
    }

    @GET
    @Path("/{sender}/diagnoses")
    @Operation(summary = "What is wrong for a sender", description = "Its flagged recipients and their reasons, and the rules' diagnosis of its latest failure seen against that history "
            + "(many flagged recipients point at the sender's SMTP configuration).")
    @BoundedWork
    public SenderReport diagnoses(@RestPath String sender) {
        return senders.sender(sender);
    }
}
