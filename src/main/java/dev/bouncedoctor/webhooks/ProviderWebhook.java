package dev.bouncedoctor.webhooks;

import dev.bouncedoctor.maillog.EventRequest;
import java.util.List;

/**
 * One email provider's webhook: how it proves that a call is its own, and how its payload, exactly as the provider
 * posts it, becomes mail-log events. One class per provider (go-sisimai's one file per format). Mechanics only:
 * the provider's event names stay as sent (in {@code status}) and the rules decide what they mean.
 */
public interface ProviderWebhook {

    /** The path segment of {@code POST /v1/webhooks/{provider}} and the {@code provider} of its events. */
    String name();

    /** Whether its secret is configured; an endpoint without one refuses every call. */
    boolean configured();

    /** The configuration a operator sets to enable it, named in the refusal when it is not configured. */
    String configHint();

    /** Throws {@link WebhookExceptions.Unauthenticated} unless the call is provably the provider's and fresh. */
    void verify(WebhookCall call);

    /**
     * The events of a verified call, in the order the provider listed them; empty for a call that carries none (a
     * test ping, a subscription confirmation). A payload that cannot be read throws InvalidFactException naming the
     * provider's field.
     */
    List<EventRequest> events(WebhookCall call);
}
