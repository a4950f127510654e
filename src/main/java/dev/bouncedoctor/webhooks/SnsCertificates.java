package dev.bouncedoctor.webhooks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * SNS's signing certificates, fetched from the message's SigningCertURL only when that URL matches the configured
 * pattern (else anyone could sign with a certificate of their own), and kept: SNS signs with the same certificate for
 * months, and a fetch per call would put a remote host on every webhook's path.
 */
final class SnsCertificates {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BYTES = 64 * 1024;

    private final Pattern allowed;
    private final HttpClient http;
    // Only successes are kept; a failed fetch is tried again on the next call (SNS retries after our 503).
    private final Cache<String, X509Certificate> cache = Caffeine.newBuilder().maximumSize(32).expireAfterWrite(Duration.ofHours(12)).build();

    SnsCertificates(Pattern allowed, HttpClient http) {
        this.allowed = allowed;
        this.http = http;
    }

    boolean allowed(String url) {
        return url != null && allowed.matcher(url).matches();
    }

    /** The certificate at an allowed URL; WebhookUnavailable when it cannot be fetched or read now. */
    X509Certificate get(String url) {
        X509Certificate known = cache.getIfPresent(url);
        if (known != null) {
            return known;
        }
        X509Certificate fetched = fetch(url);
        cache.put(url, fetched);
        return fetched;
    }

    private X509Certificate fetch(String url) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new WebhookUnavailable("ses", "the SNS signing certificate could not be fetched: HTTP " + response.statusCode());
            }
            byte[] body = response.body();
            if (body.length > MAX_BYTES) {
                throw new WebhookUnavailable("ses", "the SNS signing certificate is larger than a certificate can be");
            }
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(body));
        } catch (IOException | IllegalArgumentException e) {
            throw new WebhookUnavailable("ses", "the SNS signing certificate could not be fetched: " + e.getMessage());
        } catch (CertificateException | ClassCastException e) {
            throw new WebhookUnavailable("ses", "the SNS signing certificate could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookUnavailable("ses", "interrupted while fetching the SNS signing certificate");
        }
    }
}
