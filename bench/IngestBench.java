import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Events/second ingested by POST /v1/events: each of N clients sends its share of events one after
 * the other (a mix of bounces, deferrals and deliveries over 500 recipients and 10 senders).
 * Usage: BENCH_API_KEY=bdk_… java bench/IngestBench.java http://127.0.0.1:8093 CLIENTS EVENTS
 * (the key needs the ingest role; bench/run.sh starts the service with it as SECURITY_BOOTSTRAP_KEY).
 */
public class IngestBench {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:8093";
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        String key = System.getenv("BENCH_API_KEY");
        if (key == null || key.isBlank()) {
            System.err.println("set BENCH_API_KEY to an API key with the ingest role (bench/run.sh does)");
            System.exit(2);
        }
        String run = Long.toString(System.nanoTime(), 36);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        send(http, base, key, run + "w", 0, Math.min(200, events)); // warm-up, not counted
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        Future<?>[] futures = new Future<?>[clients];
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures[c] = pool.submit(() -> failed.addAndGet(send(http, base, key, run, client * (events / clients), events / clients)));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        int sent = (events / clients) * clients;
        System.out.printf("clients=%d events=%d failed=%d seconds=%.2f events/s=%.0f%n", clients, sent, failed.get(), seconds, sent / seconds);
    }

    private static int send(HttpClient http, String base, String key, String run, int from, int count) {
        String[] kinds = {"\"status\":\"bounced\",\"smtpCode\":552", "\"status\":\"deferred\",\"smtpCode\":451",
                "\"status\":\"delivered\"", "\"status\":\"bounced\",\"message\":\"550-5.1.1 no such user\""};
        int failed = 0;
        for (int i = from; i < from + count; i++) {
            String body = "{\"eventId\":\"" + run + "-" + i + "\",\"recipient\":\"r" + (i % 500) + "@" + run + ".example\",\"sender\":\"s"
                    + (i % 10) + "@sender.example\"," + kinds[i % kinds.length] + "}";
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                        .header("content-type", "application/json").header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 201) {
                    failed++;
                }
            } catch (Exception e) {
                failed++;
            }
        }
        return failed;
    }
}
