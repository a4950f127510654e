package dev.bouncedoctor.api;

import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.maillog.MailLogExceptions.StorageUnavailable;
import dev.bouncedoctor.security.ApiKeys;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Refusals of the API as problems. Authentication runs when an endpoint needs it (proactive
 * authentication is off), so its failures reach JAX-RS and are answered here.
 */
public class SecurityProblemMappers {

    @ConfigProperty(name = "maillog.retry-after-seconds", defaultValue = "5")
    int retryAfterSeconds;

    /** No credentials at all. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return AuthProblems.unauthenticatedResponse();
    }

    /** Credentials that do not hold: a malformed, unknown or revoked key, a bad token. The answer is the same as without any. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailable unavailable) {
                // The keys' database is the mail log's: its outage is a 503 to retry, not a wrong key.
                Response problem = Problem.response(503, "storage-unavailable", "The mail log is unavailable", unavailable.getMessage(), List.of());
                return Response.fromResponse(problem).header("Retry-After", String.valueOf(retryAfterSeconds)).build();
            }
        }
        return AuthProblems.unauthenticatedResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource) {
        return AuthProblems.forbiddenResponse(rolesAllowed(resource));
    }

    @ServerExceptionMapper
    public Response nameTaken(ApiKeys.NameTaken e) {
        return Problem.response(409, "key-name-taken", "The key name is taken", e.getMessage(), List.of(new FieldError("name", e.getMessage())));
    }

    @ServerExceptionMapper
    public Response unknownKey(ApiKeys.UnknownKey e) {
        return Problem.response(404, "not-found", "No such key", e.getMessage(), List.of());
    }

    private static List<String> rolesAllowed(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return List.of();
        }
        Method method = resource.getResourceMethod();
        RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        return allowed == null ? List.of() : List.of(allowed.value());
    }
}
