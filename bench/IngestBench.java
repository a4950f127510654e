import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Events/second ingested by POST /v1/events (one event per request) or POST /v1/events/batch (BATCH events per
 * request): each of CLIENTS clients sends its share one request after the other. The events are a mix of bounces,
 * deferrals and deliveries to RECIPIENTS recipients (r0..@bench.example, the addresses bench/ingest.sh seeds history
 * for) from 10 senders, each with a unique eventId. Prints events/s and the request latencies (p50, p99, max).
 * Mode "rules" posts the same facts, without eventIds, to POST /v1/diagnoses/batch: the rules alone, nothing stored.
 * Usage: BENCH_API_KEY=bdk_… java bench/IngestBench.java BASE_URL single|batch|rules CLIENTS EVENTS [BATCH]
 * (the key needs the ingest role; bench/ingest.sh and bench/run.sh start the service with it as SECURITY_BOOTSTRAP_KEY).
 */
public class IngestBench {

    private static final String[] KINDS = {"\"status\":\"bounced\",\"smtpCode\":552", "\"status\":\"deferred\",\"smtpCode\":451",
            "\"status\":\"delivered\"", "\"status\":\"bounced\",\"message\":\"550-5.1.1 no such user\""};

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:8093";
        String mode = args.length > 1 ? args[1] : "single";
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int events = args.length > 3 ? Integer.parseInt(args[3]) : 20000;
        int batch = mode.equals("single") ? 1 : (args.length > 4 ? Integer.parseInt(args[4]) : 500);
        // "rules": the same facts through POST /v1/diagnoses/batch, which runs the rules and stores nothing: the ceiling that
        // the rules alone put on ingest on this machine (without the history facts the mail log adds).
        String path = switch (mode) {
            case "single" -> "/v1/events";
            case "batch" -> "/v1/events/batch";
            case "rules" -> "/v1/diagnoses/batch";
            default -> throw new IllegalArgumentException("mode: single, batch or rules");
        };
        int recipients = Integer.parseInt(System.getenv().getOrDefault("RECIPIENTS", "5000"));
        String key = System.getenv("BENCH_API_KEY");
        if (key == null || key.isBlank()) {
            System.err.println("set BENCH_API_KEY to an API key with the ingest role (bench/ingest.sh does)");
            System.exit(2);
        }
        String run = Long.toString(System.nanoTime(), 36);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Warm-up, not counted: the JIT, the rule network and the connection pool.
        List<Double> ignored = Collections.synchronizedList(new ArrayList<>());
        int warmRequests = Math.max(1, Math.min(2000, events / 5) / batch);
        runClients(http, base + path, key, run + "w", recipients, Math.min(clients, 4), warmRequests, batch, ignored);
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        int requestsPerClient = Math.max(1, events / batch / clients);
        long start = System.nanoTime();
        int failed = runClients(http, base + path, key, run, recipients, clients, requestsPerClient, batch, millis);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        long sent = (long) requestsPerClient * clients * batch;
        // Only the events of requests that succeeded count: a refused batch stored nothing.
        long stored = sent - (long) failed * batch;
        System.out.printf("mode=%s clients=%d batch=%d events=%d failed-requests=%d seconds=%.2f events/s=%.0f request-ms p50=%.1f p99=%.1f max=%.1f%n",
                mode, clients, batch, sent, failed, seconds, stored / seconds, pct(sorted, 0.50), pct(sorted, 0.99), sorted.get(sorted.size() - 1));
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * p) - 1));
    }

    private static int runClients(HttpClient http, String url, String key, String run, int recipients, int clients, int requests, int batch,
                                  List<Double> millis) throws Exception {
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                for (int r = 0; r < requests; r++) {
                    int first = (client * requests + r) * batch;
                    boolean single = batch == 1;
                    StringBuilder body = new StringBuilder(single ? "" : "[");
                    for (int i = first; i < first + batch; i++) {
                        if (i > first) {
                            body.append(',');
                        }
                        // Batches: each client has recipients of its own, as the partitions of a pipeline keyed by recipient
                        // would; batches that share recipients wait for each other's transaction (one event at a time per
                        // recipient), which measures the lock queue, not the ingest.
                        int recipient = single ? i % recipients : (i % Math.max(1, recipients / clients)) * clients + client;
                        body.append('{');
                        if (!url.endsWith("/v1/diagnoses/batch")) {
                            body.append("\"eventId\":\"").append(run).append('-').append(i).append("\",");
                        }
                        body.append("\"recipient\":\"r").append(recipient)
                                .append("@bench.example\",\"sender\":\"s").append(i % 10).append("@sender.example\",").append(KINDS[i % KINDS.length]).append('}');
                    }
                    if (!single) {
                        body.append(']');
                    }
                    long t = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                                .header("content-type", "application/json").header("X-API-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != (single ? 201 : 200)) {
                            if (failed.incrementAndGet() <= 3) {
                                System.err.println("answered " + response.statusCode() + ": " + response.body().substring(0, Math.min(300, response.body().length())));
                            }
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    millis.add((System.nanoTime() - t) / 1e6);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return failed.get();
    }
}
