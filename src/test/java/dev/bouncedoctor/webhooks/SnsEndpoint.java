package dev.bouncedoctor.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The tests' stand-in for SNS: an RSA key with a self-signed certificate served at /cert.pem on the loopback interface,
 * and a /confirm URL that records each subscription confirmation. The service is told to trust URLs on this host only.
 * <p>
 * A test resource runs in another class loader than the tests, so what the tests need (the key, the port) travels in
 * system properties, and what the server saw is asked of it over HTTP (/seen).
 */
public class SnsEndpoint implements QuarkusTestResourceLifecycleManager {

    private static final String KEY_PROPERTY = "bounce-doctor.test.sns.private-key";
    private static final String PORT_PROPERTY = "bounce-doctor.test.sns.port";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=sns.test.invalid");
            X509CertificateHolder cert = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(30, ChronoUnit.DAYS)), name, keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(cert);
            }
            byte[] pemBytes = pem.toString().getBytes(StandardCharsets.US_ASCII);
            List<String> seen = new CopyOnWriteArrayList<>();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                if (!path.equals("/seen")) {
                    seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
                }
                byte[] body;
                int status = 200;
                if (path.equals("/cert.pem")) {
                    body = pemBytes;
                } else if (path.equals("/seen")) {
                    body = String.join("\n", seen).getBytes(StandardCharsets.UTF_8);
                } else if (path.equals("/confirm")) {
                    body = "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8);
                } else {
                    status = 404;
                    body = new byte[0];
                }
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            int port = server.getAddress().getPort();
            System.setProperty(KEY_PROPERTY, Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
            System.setProperty(PORT_PROPERTY, String.valueOf(port));
            return Map.of("webhooks.ses.enabled", "true", "webhooks.ses.url-pattern", "http://127\\.0\\.0\\.1:" + port + "/.*");
        } catch (Exception e) {
            throw new IllegalStateException("the SNS stand-in could not start", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** http://127.0.0.1:port + path. */
    static String url(String path) {
        return "http://127.0.0.1:" + System.getProperty(PORT_PROPERTY) + path;
    }

    /** The requests the stand-in has seen, as "GET /path?query", oldest first. */
    static List<String> seen() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/seen"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body().isEmpty() ? List.of() : List.of(r.body().split("\n"));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Notification carrying {@code message}, signed with the stand-in's key. */
    static Map<String, String> notification(String messageId, String message, Instant timestamp) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Type", "Notification");
        m.put("MessageId", messageId);
        m.put("TopicArn", "arn:aws:sns:us-east-1:123456789012:bounce-doctor-test");
        m.put("Subject", "Amazon SES Email Event Notification");
        m.put("Message", message);
        m.put("Timestamp", timestamp.toString());
        m.put("SigningCertURL", url("/cert.pem"));
        m.put("UnsubscribeURL", url("/unsubscribe"));
        return m;
    }

    /** A SubscriptionConfirmation whose SubscribeURL is the stand-in's /confirm with this token. */
    static Map<String, String> subscriptionConfirmation(String messageId, String token, Instant timestamp) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Type", "SubscriptionConfirmation");
        m.put("MessageId", messageId);
        m.put("Token", token);
        m.put("TopicArn", "arn:aws:sns:us-east-1:123456789012:bounce-doctor-test");
        m.put("Message", "You have chosen to subscribe to the topic. To confirm the subscription, visit the SubscribeURL included in this message.");
        m.put("SubscribeURL", url("/confirm?Action=ConfirmSubscription&Token=" + token));
        m.put("Timestamp", timestamp.toString());
        m.put("SigningCertURL", url("/cert.pem"));
        return m;
    }

    /**
     * The fields signed as SNS signs them (written from SNS's description of the string to sign, independently of the
     * service's code): version "1" SHA1withRSA, "2" SHA256withRSA; adds SignatureVersion and Signature.
     */
    static Map<String, String> signed(Map<String, String> fields, String version) {
        List<String> keys = fields.get("Type").equals("Notification") ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
        StringBuilder text = new StringBuilder();
        for (String k : keys) {
            if (fields.get(k) != null) {
                text.append(k).append('\n').append(fields.get(k)).append('\n');
            }
        }
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(System.getProperty(KEY_PROPERTY))));
            Signature s = Signature.getInstance(version.equals("1") ? "SHA1withRSA" : "SHA256withRSA");
            s.initSign(key);
            s.update(text.toString().getBytes(StandardCharsets.UTF_8));
            Map<String, String> out = new LinkedHashMap<>(fields);
            out.put("SignatureVersion", version);
            out.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
