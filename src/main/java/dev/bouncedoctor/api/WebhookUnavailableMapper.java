package dev.bouncedoctor.api;

import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.webhooks.WebhookUnavailable;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A webhook call that cannot be checked or completed now, as a 503 the provider retries (SNS does, on 5xx). */
public class WebhookUnavailableMapper {

    private static final Logger LOG = Logger.getLogger(WebhookUnavailableMapper.class);

    @ServerExceptionMapper
    public Response unavailable(WebhookUnavailable e) {
        LOG.warnf("event=webhook.unavailable provider=%s why=\"%s\"", e.provider(), e.getMessage());
        return Problem.response(503, "webhook-unavailable", "The call cannot be checked or completed now", e.getMessage(),
                List.of(new FieldError("provider", e.getMessage())));
    }
}
