package dev.bouncedoctor.api;

import dev.bouncedoctor.webhooks.WebhookCall;
import dev.bouncedoctor.webhooks.WebhookResult;
import dev.bouncedoctor.webhooks.WebhookService;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The providers' own webhooks. No API key: a provider cannot send one, so each call proves itself the provider's way
 * (a signature, or the credentials configured at the provider), checked before anything is read into the log.
 */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {

    private final WebhookService webhooks;

    public WebhooksResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @PermitAll
    @Path("/{provider}")
    // Any type: SNS posts its JSON as text/plain, the others as application/json; each provider reads its own bytes.
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Take a provider's webhook call as the provider sends it",
            description = "provider: ses (SNS notifications), sendgrid, mailgun, postmark or sparkpost. The call is verified the provider's "
                    + "way (see the README's Webhooks), then its events are logged like POST /v1/events/batch: all or nothing, once per "
                    + "provider event id. 401 when it cannot be verified, 404 when that provider's webhook is not configured.")
    @BodyLimit("batch")
    @BoundedWork
    public WebhookResult receive(@RestPath String provider, HttpHeaders headers, byte[] body) {
        Map<String, String> fields = new HashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> fields.put(name.toLowerCase(Locale.ROOT), values.isEmpty() ? "" : values.get(0)));
        return webhooks.receive(provider.toLowerCase(Locale.ROOT), new WebhookCall(fields, body == null ? new byte[0] : body));
    }
}
