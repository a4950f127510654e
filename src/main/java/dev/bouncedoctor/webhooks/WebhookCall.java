package dev.bouncedoctor.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One call of a provider's webhook as received: the header fields (names in lower case) and the body's bytes,
 * unparsed, since signatures are computed over exactly those bytes.
 */
public record WebhookCall(Map<String, String> headers, byte[] body) {

    public WebhookCall {
        headers = Map.copyOf(headers);
    }

    /** A header's value, or null; the name in any case. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
