package dev.bouncedoctor.api;

import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * POST /v1/diagnoses/no-rules, only with {@code bench.no-rules-endpoint=true}: the same request, checks and JSON as
 * POST /v1/diagnoses, answered with a remembered report instead of a run of the rules. bench/diagnose.sh measures both
 * in one run, so that the rules' cost is read beside what the HTTP path costs anyway. Not part of the API.
 */
@Path("/v1/diagnoses/no-rules")
@RolesAllowed(Roles.DIAGNOSE)
@Produces(MediaType.APPLICATION_JSON)
public class NoRulesBaselineResource {

    private final DiagnosisService service;
    private final boolean enabled;

    public NoRulesBaselineResource(DiagnosisService service, @ConfigProperty(name = "bench.no-rules-endpoint", defaultValue = "false") boolean enabled) {
        this.service = service;
        this.enabled = enabled;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    @BodyLimit("fact")
    @BoundedWork
    public DiagnosisReport diagnose(DeliveryFact fact) {
        if (!enabled) {
            throw new NotFoundException();
        }
        return service.rememberedDiagnosis(fact);
    }
}
