package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * A provider that signs nothing (Postmark, SparkPost): a call proves itself with the secret the operator set at the
 * provider, basic auth credentials in the webhook URL or a token in a custom header ({@link SharedSecret}). The
 * subclass reads the provider's payload.
 */
// Subclasses are @Singleton: a base class with only an injecting constructor cannot be proxied (@ApplicationScoped).
abstract class SharedSecretWebhook implements ProviderWebhook {

    protected final ObjectMapper json;
    private final String name;
    private final SharedSecret secret;

    SharedSecretWebhook(String name, ObjectMapper json, Optional<String> username, Optional<String> password, Optional<String> token,
                        String tokenHeader) {
        this.name = name;
        this.json = json;
        this.secret = new SharedSecret(name, username, password, token, tokenHeader);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean configured() {
        return secret.configured();
    }

    @Override
    public String configHint() {
        return "webhooks." + name + ".username and webhooks." + name + ".password, or webhooks." + name + ".token";
    }

    @Override
    public void verify(WebhookCall call) {
        secret.verify(call);
    }
}
