package dev.bouncedoctor.api;

import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.webhooks.WebhookExceptions;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Webhook calls refused before anything is stored, as problems. */
public class WebhookProblemMappers {

    private static final Logger LOG = Logger.getLogger(WebhookProblemMappers.class);

    @ServerExceptionMapper
    public Response unauthenticated(WebhookExceptions.Unauthenticated e) {
        // Worth a line in the log: a provider misconfigured, or someone trying.
        LOG.warnf("event=webhook.refused provider=%s why=\"%s\"", e.provider(), e.getMessage());
        return Problem.response(401, "webhook-unauthenticated", "The call is not provably the provider's", e.getMessage(),
                List.of(new FieldError("signature", e.getMessage())));
    }

    @ServerExceptionMapper
    public Response notConfigured(WebhookExceptions.NotConfigured e) {
        return Problem.response(404, "webhook-not-configured", "This provider's webhook is not set up", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response unknownProvider(WebhookExceptions.UnknownProvider e) {
        return Problem.response(404, "unknown-provider", "No webhook for this provider", e.getMessage(),
                List.of(new FieldError("provider", "one of " + e.known())));
    }
}
