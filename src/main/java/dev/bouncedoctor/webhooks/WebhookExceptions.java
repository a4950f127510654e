package dev.bouncedoctor.webhooks;

import java.util.List;

/** Why a webhook call is refused before anything of it is stored. */
public final class WebhookExceptions {

    private WebhookExceptions() {
    }

    /** Not provably the provider's: no or a wrong signature or credentials, a stale timestamp, a replayed token (401). */
    public static final class Unauthenticated extends RuntimeException {
        private final String provider;

        public Unauthenticated(String provider, String why) {
            super(why);
            this.provider = provider;
        }

        public String provider() {
            return provider;
        }
    }

    /** The provider's secret is not configured, so no call can be verified (404: the endpoint is not set up). */
    public static final class NotConfigured extends RuntimeException {
        public NotConfigured(String provider, String hint) {
            super("the " + provider + " webhook is not configured: set " + hint);
        }
    }

    /** No such provider (404, naming those there are). */
    public static final class UnknownProvider extends RuntimeException {
        private final List<String> known;

        public UnknownProvider(String provider, List<String> known) {
            super("no webhook for provider '" + provider + "'; the providers are " + known);
            this.known = known;
        }

        public List<String> known() {
            return known;
        }
    }
}
