package dev.bouncedoctor.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.MailLogExceptions.StorageUnavailable;
import dev.bouncedoctor.security.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refusals of the paths that JAX-RS does not serve (the API description, Swagger UI) come from
 * the HTTP permission policies in application.properties; this turns them into the same problems
 * the API's exception mappers give.
 */
@ApplicationScoped
public class HttpLayerProblems {

    private final ObjectMapper json;
    private final int retryAfterSeconds;

    /** The console's area, where a refusal is a page (a redirect to sign in), which Quarkus's form authentication answers. */
    private final String consoleArea;

    public HttpLayerProblems(ObjectMapper json, @ConfigProperty(name = "maillog.retry-after-seconds", defaultValue = "5") int retryAfterSeconds,
                             @ConfigProperty(name = "quarkus.http.auth.form.cookie-path", defaultValue = "/console") String consoleArea) {
        this.json = json;
        this.retryAfterSeconds = retryAfterSeconds;
        this.consoleArea = consoleArea;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    void handle(RoutingContext context) {
        Throwable failure = context.failure();
        if (context.normalizedPath().startsWith(consoleArea) && !causedBy(failure, StorageUnavailable.class)) {
            context.next();
        } else if (failure instanceof ForbiddenException) {
            // Only the API description is guarded by a permission policy; it needs "read".
            AuthProblems.send(context, AuthProblems.forbidden(List.of(Roles.READ)), json);
        } else if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            AuthProblems.send(context, AuthProblems.unauthenticated(), json);
        } else if (causedBy(failure, StorageUnavailable.class)) {
            context.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
            AuthProblems.send(context, new Problem("urn:bounce-doctor:problem:storage-unavailable", "The mail log is unavailable", 503,
                    new StorageUnavailable(null).getMessage(), List.of()), json);
        } else {
            context.next();
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
