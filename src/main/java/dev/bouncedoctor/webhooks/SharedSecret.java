package dev.bouncedoctor.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * The proof Postmark and SparkPost can give: no signature, only a secret the operator set at the provider, either as
 * HTTP basic credentials in the webhook URL or as a custom header. Either configured way is accepted.
 *
 * @param tokenHeader the header the provider is told to send the token in
 */
record SharedSecret(String provider, Optional<String> username, Optional<String> password, Optional<String> token, String tokenHeader) {

    private static final String BASIC = "Basic ";

    boolean basicConfigured() {
        return username.filter(s -> !s.isBlank()).isPresent() && password.filter(s -> !s.isBlank()).isPresent();
    }

    boolean tokenConfigured() {
        return token.filter(s -> !s.isBlank()).isPresent();
    }

    boolean configured() {
        return basicConfigured() || tokenConfigured();
    }

    void verify(WebhookCall call) {
        String authorization = call.header("Authorization");
        String presented = call.header(tokenHeader);
        if (basicConfigured() && authorization != null && authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            String expected = username.get() + ":" + password.get();
            if (same(decoded(authorization.substring(BASIC.length()).trim()), expected)) {
                return;
            }
            throw new WebhookExceptions.Unauthenticated(provider, "the basic auth credentials are not the configured ones");
        }
        if (tokenConfigured() && presented != null) {
            if (same(presented.trim(), token.get())) {
                return;
            }
            throw new WebhookExceptions.Unauthenticated(provider, "the " + tokenHeader + " header is not the configured token");
        }
        throw new WebhookExceptions.Unauthenticated(provider, "no credentials: send " + (basicConfigured() ? "the basic auth credentials" : "")
                + (basicConfigured() && tokenConfigured() ? " or " : "") + (tokenConfigured() ? "the " + tokenHeader + " header" : "")
                + " configured for this webhook");
    }

    private static String decoded(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Compared as digests, in constant time: neither the content nor the length of the secret leaks through timing. */
    private static boolean same(String presented, String expected) {
        try {
            MessageDigest a = MessageDigest.getInstance("SHA-256");
            MessageDigest b = MessageDigest.getInstance("SHA-256");
            return MessageDigest.isEqual(a.digest(presented.getBytes(StandardCharsets.UTF_8)), b.digest(expected.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
