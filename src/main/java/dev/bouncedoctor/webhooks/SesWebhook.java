package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.EventRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Amazon SES through an SNS HTTP(S) subscription. SNS signs each message with a certificate it publishes: the message
 * is checked against it (fetched only from the configured SNS hosts), against the optional topic allow-list and for
 * freshness. A SubscriptionConfirmation is confirmed by fetching its SubscribeURL (same hosts only).
 * <p>
 * Refusals: a wrong or missing signature, a certificate or SubscribeURL outside the pattern, a topic not allowed, a
 * stale timestamp: 401. The certificate cannot be fetched or the confirmation fails: 503, which SNS retries.
 */
@ApplicationScoped
public class SesWebhook implements ProviderWebhook {

    private static final Logger LOG = Logger.getLogger(SesWebhook.class);

    private final ObjectMapper json;
    private final boolean enabled;
    private final List<String> topics;
    private final Duration maxAge;
    private final HttpClient http;
    private final SnsCertificates certificates;

    public SesWebhook(ObjectMapper json, @ConfigProperty(name = "webhooks.ses.enabled", defaultValue = "false") boolean enabled,
                      @ConfigProperty(name = "webhooks.ses.url-pattern") String urlPattern,
                      @ConfigProperty(name = "webhooks.ses.topic-arns") Optional<List<String>> topics,
                      @ConfigProperty(name = "webhooks.max-age") Duration maxAge) {
        this.json = json;
        this.enabled = enabled;
        this.topics = topics.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.maxAge = maxAge;
        // No redirects: a redirect could lead the fetch off the allowed hosts.
        this.http = HttpClient.newBuilder().connectTimeout(SnsCertificates.TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.certificates = new SnsCertificates(Pattern.compile(urlPattern), http);
    }

    @Override
    public String name() {
        return SesEvents.PROVIDER;
    }

    @Override
    public boolean configured() {
        return enabled;
    }

    @Override
    public String configHint() {
        return "webhooks.ses.enabled=true (WEBHOOKS_SES_ENABLED)";
    }

    @Override
    public void verify(WebhookCall call) {
        SnsMessage m = SnsMessage.parse(json, call.body());
        if (!topics.isEmpty() && !topics.contains(m.topicArn())) {
            throw refused("the topic " + m.topicArn() + " is not one of webhooks.ses.topic-arns");
        }
        String algorithm = switch (m.signatureVersion() == null ? "" : m.signatureVersion()) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw refused("SignatureVersion '" + m.signatureVersion() + "' is not 1 or 2");
        };
        if (m.signature() == null) {
            throw refused("the message carries no Signature");
        }
        if (!certificates.allowed(m.signingCertUrl())) {
            throw refused("the SigningCertURL is not an SNS host (webhooks.ses.url-pattern); not fetched");
        }
        if (m.isConfirmation() && !certificates.allowed(m.subscribeUrl())) {
            throw refused("the SubscribeURL is not an SNS host (webhooks.ses.url-pattern)");
        }
        fresh(m.timestamp());
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(m.signature());
        } catch (IllegalArgumentException e) {
            throw refused("the Signature is not base64");
        }
        X509Certificate certificate = certificates.get(m.signingCertUrl());
        try {
            certificate.checkValidity();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(m.canonical().getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(signature)) {
                throw refused("the signature does not match the message");
            }
        } catch (GeneralSecurityException e) {
            throw refused("the signature cannot be verified: " + e.getMessage());
        }
    }

    private void fresh(String timestamp) {
        Instant at;
        try {
            at = Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw refused("the Timestamp '" + timestamp + "' is not an ISO-8601 time");
        }
        Instant now = Instant.now();
        if (at.isBefore(now.minus(maxAge))) {
            throw refused("the Timestamp " + timestamp + " is older than webhooks.max-age (" + maxAge + "); a replay?");
        }
        if (at.isAfter(now.plus(maxAge))) {
            throw refused("the Timestamp " + timestamp + " is in the future");
        }
    }

    @Override
    public List<EventRequest> events(WebhookCall call) {
        SnsMessage m = SnsMessage.parse(json, call.body());
        return switch (m.type()) {
            case SnsMessage.NOTIFICATION -> SesEvents.of(m.messageId(), ProviderJson.read(json, "Message", m.message()));
            case SnsMessage.SUBSCRIPTION_CONFIRMATION -> {
                confirm(m);
                yield List.of();
            }
            case SnsMessage.UNSUBSCRIBE_CONFIRMATION -> List.of();
            default -> throw ProviderJson.invalid("Type", "'" + m.type() + "' is not an SNS message type");
        };
    }

    /** Subscribing is completed by fetching the SubscribeURL; until then SNS sends no notifications. */
    private void confirm(SnsMessage m) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(m.subscribeUrl())).timeout(SnsCertificates.TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new WebhookUnavailable(name(), "confirming the SNS subscription answered HTTP " + response.statusCode());
            }
            LOG.infof("event=webhook.sns.subscribed topic=%s", m.topicArn());
        } catch (IOException | IllegalArgumentException e) {
            throw new WebhookUnavailable(name(), "the SNS subscription could not be confirmed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookUnavailable(name(), "interrupted while confirming the SNS subscription");
        }
    }

    private WebhookExceptions.Unauthenticated refused(String why) {
        return new WebhookExceptions.Unauthenticated(name(), why);
    }
}
