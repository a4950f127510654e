package dev.bouncedoctor.webhooks;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * The SendGrid verification key of every test application: a P-256 key pair made at start, its public half handed to
 * the service as webhooks.sendgrid.public-key (what an operator copies from SendGrid), its private half kept to sign
 * calls the way SendGrid does. A global test resource, not a profile, so that it costs no extra start of the service.
 *
 * <p>The private key travels through a system property rather than a static field: Quarkus may start this resource in
 * another class loader than the one the test class runs in, and a system property is one per JVM. A restart of the
 * application (another profile) makes a new pair and replaces it, so the key always matches the running service.
 */
public class SendGridKeys implements QuarkusTestResourceLifecycleManager {

    private static final String PRIVATE_KEY_PROPERTY = "bounce-doctor.tests.sendgrid-private-key";

    @Override
    public Map<String, String> start() {
        KeyPair pair = newKeyPair();
        System.setProperty(PRIVATE_KEY_PROPERTY, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        return Map.of("webhooks.sendgrid.public-key", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
    }

    @Override
    public void stop() {
        // The property is left for a test still signing while the application stops; the next start replaces it.
    }

    /** A fresh EC P-256 key pair: the running service's (start) or a stranger's (a wrong-key test). */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SendGrid's signature header value for a call: base64 of the DER ECDSA signature of timestamp + body. */
    public static String sign(String timestamp, byte[] body) {
        try {
            byte[] pkcs8 = Base64.getDecoder().decode(System.getProperty(PRIVATE_KEY_PROPERTY));
            return sign(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)), timestamp, body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(PrivateKey key, String timestamp, byte[] body) {
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(key);
            ecdsa.update(timestamp.getBytes(StandardCharsets.UTF_8));
            ecdsa.update(body);
            return Base64.getEncoder().encodeToString(ecdsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
