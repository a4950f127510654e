package dev.bouncedoctor.api;

import jakarta.enterprise.inject.Instance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import java.net.URI;
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

    @Inject
    Instance<PageRefusals> pageRefusals;

    @ConfigProperty(name = "maillog.retry-after-seconds", defaultValue = "5")
    int retryAfterSeconds;

    /** The console's area and its sign-in pages (quarkus.http.auth.form.*): there a refusal sends the person to sign in. */
    @ConfigProperty(name = "quarkus.http.auth.form.cookie-path", defaultValue = "/console")
    String consoleArea;
    @ConfigProperty(name = "quarkus.http.auth.form.login-page", defaultValue = "/console/sign-in")
    String signInPage;
    @ConfigProperty(name = "quarkus.http.auth.form.error-page", defaultValue = "/console/sign-in")
    String signInFailedPage;
    @ConfigProperty(name = "quarkus.http.auth.form.post-location", defaultValue = "/j_security_check")
    String signInPost;

    /** No credentials at all. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        if (inConsole(request)) {
            return Response.seeOther(URI.create(signInPage)).build();
        }
        return AuthProblems.unauthenticatedResponse();
    }

    private boolean inConsole(HttpServerRequest request) {
        return request != null && request.path() != null && request.path().startsWith(consoleArea);
    }

    /** Credentials that do not hold: a malformed, unknown or revoked key, a bad token. The answer is the same as without any. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailable unavailable) {
                // The keys' database is the mail log's: its outage is a 503 to retry, not a wrong key.
                Response problem = Problem.response(503, "storage-unavailable", "The mail log is unavailable", unavailable.getMessage(), List.of());
                return Response.fromResponse(problem).header("Retry-After", String.valueOf(retryAfterSeconds)).build();
            }
        }
        if (inConsole(request)) {
            // A refused sign-in (or a session whose key was revoked meanwhile): back to the sign-in page, saying why.
            return Response.seeOther(URI.create(request.path().equals(signInPost) ? signInFailedPage : signInPage)).build();
        }
        return AuthProblems.unauthenticatedResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource) {
        if (resource != null && resource.getResourceClass() != null) {
            for (PageRefusals pages : pageRefusals) {
                if (pages.handles(resource.getResourceClass())) {
                    // A person in the console gets a page in its layout, not the API's problem document.
                    return pages.forbidden(rolesAllowed(resource));
                }
            }
        }
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
