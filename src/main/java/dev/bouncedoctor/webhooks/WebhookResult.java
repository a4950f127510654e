package dev.bouncedoctor.webhooks;

import dev.bouncedoctor.maillog.IngestResult;
import java.util.List;

/** The answer to a webhook call: how many events it carried, how many were new, and each one's result in order. */
public record WebhookResult(String provider, int received, int stored, List<IngestResult> events) {
}
