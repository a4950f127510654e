import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Webhook ingest: SendGrid-style event arrays of BATCH events, signed as SendGrid signs them (ECDSA P-256 over timestamp
 * + body), posted one after another to POST /v1/webhooks/sendgrid. Prints events/s and the time per call. Usage:
 * java bench/WebhookBench.java BASE_URL PKCS8_KEY_FILE CALLS BATCH (bench/webhooks.sh makes the key and the service).
 */
public class WebhookBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(Path.of(args[1]))));
        int calls = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        String run = Long.toString(System.nanoTime(), 36);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        post(http, base, key, body(run + "w", 0, batch)); // warm-up, not counted
        List<Double> millis = new ArrayList<>();
        int failed = 0;
        long start = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            long t = System.nanoTime();
            int status = post(http, base, key, body(run, c * batch, batch));
            millis.add((System.nanoTime() - t) / 1e6);
            if (status != 200) {
                failed++;
                System.err.println("call " + c + " answered " + status);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Collections.sort(millis);
        System.out.printf("calls=%d batch=%d failed=%d seconds=%.2f events/s=%.0f call-ms p50=%.0f p99=%.0f max=%.0f%n", calls, batch, failed,
                seconds, calls * batch / seconds, millis.get(millis.size() / 2), millis.get((int) Math.min(millis.size() - 1, Math.ceil(millis.size() * 0.99) - 1)),
                millis.get(millis.size() - 1));
    }

    /** A SendGrid batch as SendGrid posts it: a mix of hand-offs, deliveries, engagement and bounces. */
    private static String body(String run, int from, int count) {
        long now = System.currentTimeMillis() / 1000;
        StringBuilder out = new StringBuilder("[");
        for (int i = from; i < from + count; i++) {
            String email = "r" + (i % 2000) + "@" + run + ".example";
            String common = "\"email\":\"" + email + "\",\"timestamp\":" + (now - 60 + (i % 60)) + ",\"sg_event_id\":\"" + run + "-" + i
                    + "\",\"sg_message_id\":\"" + run + "." + (i / 4) + "\"";
            String event = switch (i % 8) {
                case 0 -> "\"event\":\"processed\"";
                case 1, 2 -> "\"event\":\"delivered\",\"response\":\"250 2.0.0 OK\"";
                case 3 -> "\"event\":\"open\"";
                case 4 -> "\"event\":\"click\",\"url\":\"https://example.com/x\"";
                case 5 -> "\"event\":\"deferred\",\"response\":\"451 4.7.1 Greylisted, please try again later\",\"attempt\":\"1\"";
                case 6 -> "\"event\":\"bounce\",\"type\":\"bounce\",\"status\":\"5.1.1\",\"reason\":\"550 5.1.1 The email account that you tried to reach does not exist.\"";
                default -> "\"event\":\"bounce\",\"type\":\"blocked\",\"status\":\"5.7.1\",\"reason\":\"554 5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org\"";
            };
            out.append(i > from ? "," : "").append('{').append(common).append(',').append(event).append('}');
        }
        return out.append(']').toString();
    }

    private static int post(HttpClient http, String base, PrivateKey key, String body) throws Exception {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(key);
        ecdsa.update(timestamp.getBytes(StandardCharsets.UTF_8));
        ecdsa.update(body.getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().encodeToString(ecdsa.sign());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/webhooks/sendgrid"))
                .header("content-type", "application/json")
                .header("X-Twilio-Email-Event-Webhook-Signature", signature)
                .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            System.err.println(r.body().length() > 500 ? r.body().substring(0, 500) : r.body());
        }
        return r.statusCode();
    }
}
