package dev.bouncedoctor.webhooks;

import dev.bouncedoctor.maillog.EventIngestService;
import dev.bouncedoctor.maillog.EventRequest;
import dev.bouncedoctor.maillog.IngestResult;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * POST /v1/webhooks/{provider}: the provider's check of authenticity first, then its events through the same path as
 * POST /v1/events/batch (same checks, diagnosis, recipient state and idempotency on the provider's event id), all or
 * nothing, so that a provider retrying a refused call loses nothing and stores nothing twice.
 */
@ApplicationScoped
public class WebhookService {

    private final Map<String, ProviderWebhook> providers = new TreeMap<>();
    private final EventIngestService ingest;

    public WebhookService(@All List<ProviderWebhook> providers, EventIngestService ingest) {
        providers.forEach(p -> this.providers.put(p.name(), p));
        this.ingest = ingest;
    }

    public WebhookResult receive(String provider, WebhookCall call) {
        ProviderWebhook webhook = providers.get(provider);
        if (webhook == null) {
            throw new WebhookExceptions.UnknownProvider(provider, List.copyOf(providers.keySet()));
        }
        if (!webhook.configured()) {
            throw new WebhookExceptions.NotConfigured(provider, webhook.configHint());
        }
        webhook.verify(call);
        List<EventRequest> events = webhook.events(call);
        List<IngestResult> results = events.isEmpty() ? List.of() : ingest.ingestAll(events);
        int stored = (int) results.stream().filter(IngestResult::created).count();
        return new WebhookResult(provider, events.size(), stored, results);
    }
}
