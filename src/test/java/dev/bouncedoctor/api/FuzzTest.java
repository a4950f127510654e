package dev.bouncedoctor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bouncedoctor.security.TestKey;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Generated requests, good, odd and broken, against every endpoint that reads a body: facts, events, batches of
 * both, raw mails and rule validations. Whatever is sent, the answer is never a 5xx, a 4xx is a well-formed
 * problem+json, and every answer comes within a bound. The generator is seeded (-Dfuzz.seed=…, printed with every
 * failure), so a failure can be replayed exactly.
 */
@QuarkusTest
class FuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
    /** Generous: the work takes milliseconds; what this catches is work that grows with the square of the input. */
    private static final long BOUND_MS = 10_000;
    private static final String[] FACT_FIELDS = {"recipient", "sender", "provider", "status", "smtpCode", "enhancedCode", "message",
            "errorCode", "occurredAt"};
    private static final String[] EVENT_FIELDS = {"eventId", "symptom"};
    private static final String[] WORDS = {"bounced", "failed", "delivered", "deferred", "dropped", "complained", "opened",
            "550", "5.1.1", "4.7.28", "user unknown", "mailbox full", "spam", "blocked", "smtp", "mailgun", "ses", "sendgrid",
            "jane@example.com", "Jane <jane@example.com>", "x@", "@x", "2026-11-20T10:00:00Z", "+300000-01-01T00:00:00Z"};
    private static final String[] CHECK_FIELDS = {"address", "addresses"};
    /** The providers' own field names (SparkPost's msys batches, Postmark's records), mixed with the fact's. */
    private static final String[] WEBHOOK_FIELDS = {"msys", "message_event", "track_event", "type", "rcpt_to", "timestamp", "event_id",
            "raw_reason", "error_code", "RecordType", "Type", "Email", "Recipient", "BouncedAt", "DeliveredAt", "ID", "MessageID", "Details"};
    private static final String[] ODD = {"Σ", "İ", "ς", "\u0000", "\u202e", "\r\n", "\t", "\"", "\\", "‹", "<style a>", "a.", "@",
            "😀", "\uFFFD", "ǅ", "ß", "ﬃ", "\u0301", " "};

    private final List<String> failures = new ArrayList<>();
    /** A plain HTTP client, kept alive across requests: two thousand requests through rest-assured cost a minute by themselves. */
    private final HttpClient client = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI root;

    @Test
    void noInputGetsA5xxAndEvery4xxIsAProblem() throws Exception {
        Random random = new Random(SEED);
        long w0 = System.nanoTime();
        int cases = 0;
        for (int i = 0; i < 800; i++, cases++) {
            check("POST /v1/diagnoses", send("/v1/diagnoses", "application/json", bytes(json(random, FACT_FIELDS, random.nextInt(6)))));
        }
        for (int i = 0; i < 500; i++, cases++) {
            String event = json(random, concat(FACT_FIELDS, EVENT_FIELDS), random.nextInt(6));
            check("POST /v1/events", send("/v1/events", "application/json", bytes(event)));
        }
        for (int i = 0; i < 200; i++, cases++) {
            String path = random.nextBoolean() ? "/v1/diagnoses/batch" : "/v1/events/batch";
            check("POST " + path, send(path, "application/json", bytes(batch(random))));
        }
        List<byte[]> mails = sampleMails(random, 25);
        for (int i = 0; i < 500; i++, cases++) {
            check("POST /v1/diagnoses (mail)", send("/v1/diagnoses", "message/rfc822", mutate(random, mails.get(random.nextInt(mails.size())))));
        }
        for (int i = 0; i < 40; i++, cases++) {
            check("POST /v1/rules/validate", send("/v1/rules/validate", "application/json", bytes(validation(random))));
        }
        for (int i = 0; i < 100; i++, cases++) {
            check("POST /v1/addresses/check", send("/v1/addresses/check", "application/json", bytes(json(random, CHECK_FIELDS, random.nextInt(3)))));
        }
        // The webhooks that authenticate by a shared secret, given it: past the check, whatever the body, no 5xx.
        List<byte[]> calls = new ArrayList<>();
        for (String provider : List.of("sparkpost", "postmark")) {
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/test/resources/webhooks", provider))) {
                for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    calls.add(java.nio.file.Files.readAllBytes(f));
                }
            }
        }
        for (int i = 0; i < 160; i++, cases++) {
            boolean sparkpost = random.nextBoolean();
            byte[] body = random.nextInt(3) == 0 ? bytes(json(random, WEBHOOK_FIELDS, random.nextInt(4))) : mutate(random, calls.get(random.nextInt(calls.size())));
            check("POST /v1/webhooks/" + (sparkpost ? "sparkpost" : "postmark"), sparkpost
                    ? send("/v1/webhooks/sparkpost", "application/json", body, "X-MessageSystems-Webhook-Token", "sparkpost-test-token-for-the-tests-only")
                    : send("/v1/webhooks/postmark", "application/json", body, "Authorization",
                            "Basic " + java.util.Base64.getEncoder().encodeToString("postmark-test:postmark-test-password-for-the-tests-only".getBytes(StandardCharsets.UTF_8))));
        }
        System.out.println("fuzz: " + cases + " requests in " + (System.nanoTime() - w0) / 1_000_000 + " ms, seed " + SEED);
        assertEquals(2300, cases);
        assertEquals(List.of(), failures, "seed " + SEED + ": replay with -Dfuzz.seed=" + SEED);
    }

    private record Sent(byte[] body, HttpResponse<String> response, long millis) {
    }

    private Sent send(String path, String type, byte[] body) throws IOException, InterruptedException {
        return send(path, type, body, "X-API-Key", TestKey.KEY);
    }

    private Sent send(String path, String type, byte[] body, String credentialHeader, String credential) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", type).header(credentialHeader, credential)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Sent(body, response, (System.nanoTime() - start) / 1_000_000);
    }

    private void check(String what, Sent sent) {
        HttpResponse<String> r = sent.response();
        String problem = null;
        if (r.statusCode() >= 500) {
            problem = "answered " + r.statusCode();
        } else if (r.statusCode() >= 400) {
            String type = r.headers().firstValue("Content-Type").orElse(null);
            if (type == null || !type.startsWith("application/problem+json")) {
                problem = "a " + r.statusCode() + " as " + type + ", not application/problem+json";
            } else {
                JsonNode json = readProblem(r.body());
                int status = json.path("status").asInt(-1);
                String title = json.path("title").asText("");
                if (status != r.statusCode() || title.isBlank()) {
                    problem = "a " + r.statusCode() + " whose problem has status " + status + " and title " + title;
                }
            }
        }
        if (problem == null && sent.millis() > BOUND_MS) {
            problem = "took " + sent.millis() + " ms";
        }
        if (problem != null) {
            String body = new String(sent.body(), StandardCharsets.UTF_8);
            failures.add(what + " " + problem + " for " + (body.length() > 300 ? body.substring(0, 300) + "…" : body)
                    + " → " + abbreviate(r.body()));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode readProblem(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** An object of some of the fields, sometimes an unknown one, values of every JSON type; now and then broken text. */
    private static String json(Random random, String[] fields, int extra) {
        StringBuilder out = new StringBuilder("{");
        int n = 1 + random.nextInt(fields.length);
        for (int i = 0; i < n; i++) {
            String field = random.nextInt(20) == 0 ? text(random, 12) : fields[random.nextInt(fields.length)];
            out.append(i == 0 ? "" : ",").append(quote(field)).append(':').append(value(random, 0));
        }
        for (int i = 0; i < extra && random.nextInt(3) == 0; i++) {
            out.append(',').append(quote(fields[random.nextInt(fields.length)])).append(':').append(value(random, 0));
        }
        out.append('}');
        return random.nextInt(15) == 0 ? broken(random, out.toString()) : out.toString();
    }

    private static String value(Random random, int depth) {
        return switch (random.nextInt(depth > 1 ? 7 : 9)) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> String.valueOf(random.nextInt(1000));
            case 3 -> random.nextBoolean() ? String.valueOf(random.nextLong()) : random.nextDouble() * 1e6 + "";
            case 4, 5 -> quote(WORDS[random.nextInt(WORDS.length)] + (random.nextBoolean() ? "" : text(random, 30)));
            case 6 -> quote(text(random, random.nextInt(10) == 0 ? 25_000 : 200));
            case 7 -> "[" + value(random, depth + 1) + "," + value(random, depth + 1) + "]";
            default -> "{\"a\":" + value(random, depth + 1) + "}";
        };
    }

    /** Text of odd and plain characters, sometimes a long run of one odd character. */
    private static String text(Random random, int max) {
        int length = random.nextInt(max + 1);
        if (random.nextInt(4) == 0) {
            return ODD[random.nextInt(ODD.length)].repeat(Math.max(1, length / 2));
        }
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            int pick = random.nextInt(10);
            out.append(pick < 3 ? ODD[random.nextInt(ODD.length)] : pick < 6 ? WORDS[random.nextInt(WORDS.length)] + " "
                    : String.valueOf((char) (' ' + random.nextInt(95))));
        }
        return out.toString();
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String broken(Random random, String json) {
        int at = random.nextInt(json.length());
        return switch (random.nextInt(4)) {
            case 0 -> json.substring(0, at);
            case 1 -> json.substring(0, at) + ODD[random.nextInt(ODD.length)] + json.substring(at);
            case 2 -> json + json;
            default -> json.substring(at);
        };
    }

    private static String batch(Random random) {
        int size = random.nextInt(20) == 0 ? 480 + random.nextInt(60) : random.nextInt(12);
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            out.append(i == 0 ? "" : ",").append(random.nextInt(10) == 0 ? value(random, 0)
                    : json(random, concat(FACT_FIELDS, EVENT_FIELDS), 0).replace("\"recipient\":", "\"recipient\":"));
        }
        out.append(']');
        return random.nextInt(10) == 0 ? broken(random, out.toString()) : out.toString();
    }

    private static List<byte[]> sampleMails(Random random, int count) throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/corpus/sisimai/maildir/bsd"))) {
            all = files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
        List<byte[]> mails = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            mails.add(Files.readAllBytes(all.get(random.nextInt(all.size()))));
        }
        return mails;
    }

    /** A corpus mail cut, with bytes flipped, a piece repeated or odd text spliced in. */
    private static byte[] mutate(Random random, byte[] mail) {
        byte[] out = mail.clone();
        switch (random.nextInt(6)) {
            case 0 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length + 1));
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(50); i++) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                int from = random.nextInt(out.length);
                int to = Math.min(out.length, from + random.nextInt(2000));
                byte[] piece = java.util.Arrays.copyOfRange(out, from, to);
                byte[] joined = new byte[out.length + piece.length * 50];
                System.arraycopy(out, 0, joined, 0, to);
                for (int i = 0; i < 50; i++) {
                    System.arraycopy(piece, 0, joined, to + i * piece.length, piece.length);
                }
                System.arraycopy(out, to, joined, to + piece.length * 50, out.length - to);
                out = joined;
            }
            case 3 -> {
                int at = random.nextInt(out.length);
                byte[] odd = bytes(text(random, 20_000));
                byte[] joined = new byte[out.length + odd.length];
                System.arraycopy(out, 0, joined, 0, at);
                System.arraycopy(odd, 0, joined, at, odd.length);
                System.arraycopy(out, at, joined, at + odd.length, out.length - at);
                out = joined;
            }
            case 4 -> out = bytes(new String(out, StandardCharsets.ISO_8859_1).replace("\n", random.nextBoolean() ? "\r" : "\n\n"));
            default -> {
                // as it is
            }
        }
        return out;
    }

    /** A rule validation: a small file of DRL or scenario text, valid-looking or not, checked on its own. */
    private static String validation(Random random) {
        String drl = random.nextBoolean()
                ? "package bouncedoctor.classify;\nimport dev.bouncedoctor.model.DeliveryFact;\nrule \"" + text(random, 20).replace("\"", "")
                        + "\"\n ruleflow-group \"classify\"\nwhen\n DeliveryFact(text contains " + quote(text(random, 30)) + ")\nthen\nend\n"
                : text(random, 2_000);
        String file = random.nextBoolean() ? "classify/fuzz.drl" : random.nextBoolean() ? "scenarios/fuzz.yaml" : text(random, 20);
        return "{\"files\":{" + quote(file) + ":" + quote(drl) + "},\"overlay\":false}";
    }
}
