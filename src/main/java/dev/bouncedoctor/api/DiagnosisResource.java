package dev.bouncedoctor.api;

import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.diagnosis.MailDiagnosisService;
import dev.bouncedoctor.diagnosis.MailReport;
import dev.bouncedoctor.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

@Path("/v1/diagnoses")
@RolesAllowed(Roles.DIAGNOSE)
@Produces(MediaType.APPLICATION_JSON)
public class DiagnosisResource {

    private final DiagnosisService service;
    private final MailDiagnosisService mail;
    private final int maxBatch;
    private final ObjectMapper json;

    public DiagnosisResource(DiagnosisService service, MailDiagnosisService mail, ObjectMapper json,
                             @ConfigProperty(name = "diagnoses.batch.max-size", defaultValue = "500") int maxBatch) {
        this.service = service;
        this.mail = mail;
        this.json = json;
        this.maxBatch = maxBatch;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Diagnose one delivery fact", description = "At least one of status, smtpCode, enhancedCode, message or errorCode is required. diagnoses[0] is the primary diagnosis.")
    @BodyLimit("fact")
    @BoundedWork
    public DiagnosisReport diagnose(DeliveryFact fact) {
        return service.diagnose(fact);
    }

    @POST
    @Consumes("message/rfc822")
    @Operation(summary = "Diagnose a raw bounce mail", description = "A DSN (RFC 3464), an ARF feedback report (RFC 5965), an auto-reply (RFC 3834) or an MTA's plain-text bounce; answers one report per recipient, in the mail's order, or no report and a detail when the mail names no failed recipient.")
    @BodyLimit("mail")
    @BoundedWork
    public MailReport diagnoseMail(InputStream body) {
        return mail.diagnose(body);
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Diagnose several facts", description = "An array of facts, at most diagnoses.batch.max-size (500 by default); answers one report per fact, in order.")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DeliveryFact.class)))
    @BodyLimit("batch")
    @BoundedWork
    public List<DiagnosisReport> batch(InputStream body) throws IOException {
        return service.diagnoseAll(JsonArrays.read(json, body, DeliveryFact.class, maxBatch, "DIAGNOSES_BATCH_MAX_SIZE"));
    }
}
