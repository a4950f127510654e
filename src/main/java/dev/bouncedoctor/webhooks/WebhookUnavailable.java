package dev.bouncedoctor.webhooks;

/**
 * The call may well be the provider's, but something it depends on cannot be reached now (the SNS signing certificate,
 * the subscription's confirmation URL): 503, so that the provider retries later instead of dropping the events.
 */
public final class WebhookUnavailable extends RuntimeException {
    private final String provider;

    public WebhookUnavailable(String provider, String why) {
        super(why);
        this.provider = provider;
    }

    public String provider() {
        return provider;
    }
}
