import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mixed load for bench/soak.sh: diagnoses, raw mails, events one by one and in batches, rule reloads and hostile requests,
 * from several clients, for a given time. Prints the answers by kind and status, the failed requests (a 5xx other than
 * 503, or no answer), and writes every eventId the service acknowledged (200, 201, 202) to a file for the script to
 * count in the database.
 *
 * Usage: java bench/Soak.java BASE_URL SECONDS CLIENTS ACKED_FILE CORPUS_DIR
 */
public class Soak {

    static final String KEY = System.getenv("BENCH_API_KEY");
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    static final Set<String> ACKED = new ConcurrentSkipListSet<>();
    static final List<String> FAILURES = java.util.Collections.synchronizedList(new ArrayList<>());
    static final AtomicLong SEQ = new AtomicLong();

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        long seconds = Long.parseLong(args[1]);
        int clients = Integer.parseInt(args[2]);
        Path acked = Path.of(args[3]);
        List<byte[]> mails = new ArrayList<>();
        try (var files = Files.list(Path.of(args[4]))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".eml")).sorted().limit(200).toList()) {
                mails.add(Files.readAllBytes(p));
            }
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> run(base, end, new Random(client), mails));
            t.start();
            threads.add(t);
        }
        // One more client edits a rule file (a comment: the answers stay the same) and reloads every 15 s, as a rule
        // author would; the service's own poll sees the same edit, so each edit is compiled while the load goes on.
        Path edited = Path.of(args[5], "classify", "status.drl");
        Thread reloads = new Thread(() -> {
            for (int edit = 1; System.nanoTime() < end; edit++) {
                try {
                    Files.writeString(edited, "\n// soak edit " + edit + "\n", java.nio.file.StandardOpenOption.APPEND);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                send(base, "reload", "POST", "/v1/rules/reload", "application/json", new byte[0]);
                sleep(15_000);
            }
        });
        reloads.start();
        threads.add(reloads);
        // Every two minutes eight clients post a full batch of long messages at once (10 MB each): what exhausted the
        // 256 MB heap before bodies were admitted by memory. Answered 200, or 503 busy for those that do not fit.
        Thread bursts = new Thread(() -> {
            byte[] heavy = heavyBatch();
            sleep(30_000);
            while (System.nanoTime() < end) {
                List<Thread> burst = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    Thread t = new Thread(() -> send(base, "heavy-batch", "POST", "/v1/diagnoses/batch", "application/json", heavy));
                    t.start();
                    burst.add(t);
                }
                for (Thread t : burst) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                sleep(120_000);
            }
        });
        bursts.start();
        threads.add(bursts);
        for (Thread t : threads) {
            t.join();
        }
        Files.write(acked, ACKED);
        Map<String, Long> sorted = new TreeMap<>();
        COUNTS.forEach((k, v) -> sorted.put(k, v.get()));
        sorted.forEach((k, v) -> System.out.println("answers " + k + " " + v));
        System.out.println("failed requests: " + FAILURES.size());
        FAILURES.stream().limit(20).forEach(f -> System.out.println("  " + f));
        System.out.println("events acknowledged: " + ACKED.size());
    }

    static void run(URI base, long end, Random random, List<byte[]> mails) {
        while (System.nanoTime() < end) {
            int pick = random.nextInt(100);
            if (pick < 35) {
                send(base, "diagnosis", "POST", "/v1/diagnoses", "application/json",
                        json("{\"recipient\":\"jane" + random.nextInt(1000) + "@example.com\",\"message\":\"550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown\"}"));
            } else if (pick < 50) {
                send(base, "mail", "POST", "/v1/diagnoses", "message/rfc822", mails.get(random.nextInt(mails.size())));
            } else if (pick < 75) {
                String id = "soak-" + SEQ.incrementAndGet();
                int status = send(base, "event", "POST", "/v1/events", "application/json", json(event(id, random)));
                if (status == 200 || status == 201 || status == 202) {
                    ACKED.add(id);
                }
            } else if (pick < 85) {
                List<String> ids = new ArrayList<>();
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < 20; i++) {
                    String id = "soak-" + SEQ.incrementAndGet();
                    ids.add(id);
                    batch.append(i == 0 ? "" : ",").append(event(id, random));
                }
                int status = send(base, "batch", "POST", "/v1/events/batch", "application/json", json(batch.append("]").toString()));
                if (status == 200) {
                    ACKED.addAll(ids);
                }
            } else if (pick < 92) {
                send(base, "read", "GET", "/v1/events?size=50&undelivered=true", null, null);
            } else {
                hostile(base, random);
            }
        }
    }

    static String event(String id, Random random) {
        String[] messages = {"550 5.1.1 user unknown", "452 4.2.2 Mailbox full", "421 4.7.28 unusual rate of unsolicited mail", "250 2.0.0 OK"};
        return "{\"eventId\":\"" + id + "\",\"recipient\":\"r" + random.nextInt(5000) + "@example.org\",\"status\":\"bounced\",\"message\":\""
                + messages[random.nextInt(messages.length)] + "\"}";
    }

    /** Requests the robustness work answers with a 4xx: each must stay a 4xx and cost little, under load. */
    static void hostile(URI base, Random random) {
        switch (random.nextInt(7)) {
            case 0 -> send(base, "hostile", "POST", "/v1/diagnoses", "application/json", json("{\"message\":\"" + "Σ".repeat(19_000) + "\"}"));
            case 1 -> send(base, "hostile", "POST", "/v1/diagnoses", "garbage", json("{}"));
            case 2 -> send(base, "hostile", "POST", "/v1/diagnoses/batch", "application/json", json("[" + "{},".repeat(100_000) + "{}]"));
            case 3 -> send(base, "hostile", "POST", "/v1/events", "application/json", json("{\"recipient\":\"a@b.example\",\"status\":\"" + "s".repeat(500) + "\"}"));
            case 4 -> send(base, "hostile", "GET", "/v1/events?page=4294968&size=500", null, null);
            case 5 -> send(base, "hostile", "POST", "/v1/diagnoses", "message/rfc822",
                    ("From: MAILER-DAEMON@x.example\r\nSubject: failure\r\n\r\n" + "a.".repeat(5_000) + "@\n" + "abcdefghij".repeat(20_000)).getBytes(StandardCharsets.UTF_8));
            default -> send(base, "hostile", "POST", "/v1/rules/validate", "application/json", json("{\"files\":{\"classify/x.drl\":\"" + "rule x when then end ".repeat(2000) + "\"},\"overlay\":false}"));
        }
    }

    static byte[] heavyBatch() {
        String[] words = {"mailbox", "user", "unknown", "quota", "exceeded", "spam", "blocked", "relay", "denied", "550", "5.1.1", "recipient"};
        Random random = new Random(7);
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            StringBuilder message = new StringBuilder();
            while (message.length() < 19_900) {
                message.append(words[random.nextInt(words.length)]).append(' ');
            }
            batch.append(i == 0 ? "" : ",").append("{\"smtpCode\":550,\"message\":\"").append(message.toString().strip()).append("\"}");
        }
        return json(batch.append("]").toString());
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static int send(URI base, String kind, String method, String path, String type, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).header("X-API-Key", KEY);
        if (type != null) {
            request.header("Content-Type", type);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            COUNTS.computeIfAbsent(kind + " " + status, k -> new AtomicLong()).incrementAndGet();
            if (status >= 500 && status != 503) {
                FAILURES.add(kind + " " + method + " " + path + " -> " + status + " " + abbreviate(response.body()));
            }
            return status;
        } catch (IOException e) {
            COUNTS.computeIfAbsent(kind + " no-answer", k -> new AtomicLong()).incrementAndGet();
            FAILURES.add(kind + " " + method + " " + path + " -> no answer: " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String abbreviate(String s) {
        return s == null || s.length() < 200 ? s : s.substring(0, 200) + "…";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
