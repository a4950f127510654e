package dev.bouncedoctor.api;

import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.model.LogMask;
import dev.bouncedoctor.maillog.MailLogExceptions;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The mail log's failures as problems: a database outage is a 503 to retry, never a lost event. */
public class MailLogProblemMappers {

    private static final Logger LOG = Logger.getLogger(MailLogProblemMappers.class);

    @ConfigProperty(name = "maillog.retry-after-seconds", defaultValue = "5")
    int retryAfterSeconds;

    @ServerExceptionMapper
    public Response unavailable(MailLogExceptions.StorageUnavailable e) {
        // A database's message may quote the row it refused (H2 does, with the address): masked.
        LOG.errorf("event=maillog.unavailable cause=\"%s\"", e.getCause() == null ? "" : LogMask.cause(String.valueOf(e.getCause().getMessage())));
        Response problem = Problem.response(503, "storage-unavailable", "The mail log is unavailable", e.getMessage(), List.of());
        return Response.fromResponse(problem).header("Retry-After", String.valueOf(retryAfterSeconds)).build();
    }

    @ServerExceptionMapper
    public Response eventIdReused(MailLogExceptions.EventIdReused e) {
        return Problem.response(409, "event-id-reused", "The eventId names another event", e.getMessage(),
                e.differing().stream().map(f -> new FieldError(f, "differs from the event first logged with this eventId")).toList());
    }

    @ServerExceptionMapper
    public Response notFound(MailLogExceptions.NotFound e) {
        return Problem.response(404, "not-found", "Not in the mail log", e.getMessage(), List.of());
    }
}
