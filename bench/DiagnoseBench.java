import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POST /v1/diagnoses against POST /v1/diagnoses/no-rules (the same request, checks and JSON, a remembered answer), with
 * C connections that each send one fact after the other. The two endpoints take turns in rounds of S seconds, so that
 * both see the same machine; each round's throughput and latency are printed, then the totals.
 *
 *   compare BASE CONNECTIONS ROUNDS SECONDS         the comparison, after WARMUP_SECONDS (30) of each
 *   reload  BASE CONNECTIONS RELOADS RULES_DIR      diagnoses while the rules are edited and reloaded RELOADS times
 *
 * BENCH_API_KEY: a key with the diagnose role (and rule-author for reload); bench/diagnose.sh starts the service with one.
 */
public class DiagnoseBench {

    /** A mix of what callers send: codes alone, codes with a server's words, provider statuses, application errors. */
    private static final String[] FACTS = {
            "{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\",\"message\":\"550-5.1.1 The email account that you tried to reach does not exist.\"}",
            "{\"smtpCode\":552,\"enhancedCode\":\"5.2.2\",\"message\":\"552-5.2.2 The email account that you tried to reach is over quota.\"}",
            "{\"smtpCode\":421,\"enhancedCode\":\"4.7.28\",\"message\":\"421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address.\"}",
            "{\"smtpCode\":554,\"message\":\"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org\"}",
            "{\"smtpCode\":550,\"message\":\"550 5.7.606 Access denied, banned sending IP [192.0.2.1]\"}",
            "{\"status\":\"bounced\",\"message\":\"smtp; 550 5.1.1 <ann@example.com>: Recipient address rejected: User unknown in virtual mailbox table\"}",
            "{\"status\":\"deferred\",\"smtpCode\":451,\"message\":\"451 4.7.1 Greylisting in action, please come back later\"}",
            "{\"status\":\"delivered\"}",
            "{\"status\":\"dropped\",\"message\":\"Bounced Address\"}",
            "{\"errorCode\":\"3\",\"message\":\"no valid TO address found\"}",
            "{\"smtpCode\":552,\"message\":\"552 5.3.4 Message size exceeds fixed maximum message size\"}",
            "{\"message\":\"Connection timed out\"}",
    };

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String base = args[1];
        int connections = Integer.parseInt(args[2]);
        String key = System.getenv("BENCH_API_KEY");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        if (mode.equals("compare")) {
            int rounds = Integer.parseInt(args[3]);
            int seconds = Integer.parseInt(args[4]);
            // Warm-up of both paths, not counted: the JIT takes tens of seconds of load to settle on two cores.
            int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP_SECONDS", "30"));
            run(http, base + "/v1/diagnoses", key, connections, warmup);
            run(http, base + "/v1/diagnoses/no-rules", key, connections, warmup);
            Totals rules = new Totals();
            Totals baseline = new Totals();
            for (int r = 1; r <= rounds; r++) {
                Result a = run(http, base + "/v1/diagnoses", key, connections, seconds);
                Result b = run(http, base + "/v1/diagnoses/no-rules", key, connections, seconds);
                System.out.printf("round %d  rules: %s%n         no-rules: %s%n", r, a, b);
                rules.add(a);
                baseline.add(b);
            }
            Result all = rules.result();
            Result none = baseline.result();
            System.out.printf("rules    %s%nno-rules %s%nrules/no-rules throughput %.0f%%%n", all, none, 100.0 * all.perSecond() / none.perSecond());
        } else {
            int reloads = Integer.parseInt(args[3]);
            Path rulesDir = Path.of(args[4]);
            AtomicInteger reloadFailures = new AtomicInteger();
            Thread editor = new Thread(() -> {
                try {
                    Thread.sleep(3000);
                    Path edited = rulesDir.resolve("classify/status.drl");
                    for (int i = 1; i <= reloads; i++) {
                        // A new text each time, so that every reload compiles and swaps a new set under the load.
                        Files.writeString(edited, Files.readString(edited) + "\n// bench reload " + i + " " + System.nanoTime() + "\n");
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/rules/reload")).header("X-API-Key", key)
                                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                        boolean accepted = r.statusCode() == 200 && r.body().contains("\"accepted\":true");
                        if (!accepted) {
                            reloadFailures.incrementAndGet();
                        }
                        System.out.printf("reload %d: %d %s%n", i, r.statusCode(), accepted ? "accepted" : r.body());
                        Thread.sleep(1000);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            editor.start();
            Result during = run(http, base + "/v1/diagnoses", key, connections, () -> editor.isAlive());
            System.out.printf("during %d reloads (%.0f s): %s; reloads not accepted: %d%n", reloads, (System.nanoTime() - start) / 1e9, during, reloadFailures.get());
        }
    }

    record Result(int ok, int failed, double seconds, long[] nanos) {
        double perSecond() {
            return ok / seconds;
        }

        double percentileMillis(double p) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%,d ok, %d failed, %.0f req/s, p50 %.2f ms, p99 %.2f ms", ok, failed, perSecond(), percentileMillis(0.5), percentileMillis(0.99));
        }
    }

    static final class Totals {
        int ok;
        int failed;
        double seconds;
        final List<long[]> nanos = new ArrayList<>();

        void add(Result r) {
            ok += r.ok();
            failed += r.failed();
            seconds += r.seconds();
            nanos.add(r.nanos());
        }

        Result result() {
            return new Result(ok, failed, seconds, nanos.stream().flatMapToLong(Arrays::stream).toArray());
        }
    }

    private static Result run(HttpClient http, String url, String key, int connections, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        return run(http, url, key, connections, () -> System.nanoTime() < end);
    }

    private static Result run(HttpClient http, String url, String key, int connections, java.util.function.BooleanSupplier going) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        AtomicInteger failed = new AtomicInteger();
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                long[] times = new long[1 << 16];
                int n = 0;
                for (int i = client; going.getAsBoolean(); i++) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json").header("X-API-Key", key)
                            .POST(HttpRequest.BodyPublishers.ofString(FACTS[i % FACTS.length])).build();
                    long t = System.nanoTime();
                    int status;
                    try {
                        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (java.io.IOException e) {
                        status = -1;
                    }
                    if (status != 200) {
                        failed.incrementAndGet();
                        continue;
                    }
                    if (n == times.length) {
                        times = Arrays.copyOf(times, n * 2);
                    }
                    times[n++] = System.nanoTime() - t;
                }
                return Arrays.copyOf(times, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] nanos = all.stream().flatMapToLong(Arrays::stream).toArray();
        return new Result(nanos.length, failed.get(), seconds, nanos);
    }
}
