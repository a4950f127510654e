package dev.bouncedoctor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Work nobody waits for any longer stops: the packaged jar, in a process of its own, serving the shipped rules plus one
 * rule written to be slow (test resources, slow-rules/). Each request below would keep the rules busy for hours; the
 * request's own time limit is raised out of the way so that only the client leaving, or the service stopping, can end
 * it. Run by failsafe after the jar is built.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbandonedWorkIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final String KEY = "bdk_abandoned-work-it-key-0000000000000000000000000000000000000";
    /** The graceful part of the stop, shortened from the pod's 5 s + 25 s so that the test does not wait half a minute. */
    private static final int SHUTDOWN_DELAY_SECONDS = 1;
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 3;

    private static Path work;
    private static Process service;
    private static Path log;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "the jar is built by the package phase");
        work = Files.createTempDirectory("abandoned-work");
        Path rules = work.resolve("rules");
        copy(Path.of("rules"), rules);
        copy(Path.of("src", "test", "resources", "slow-rules"), rules);
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        log = work.resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Only the client leaving or the stop may end the work: not the per-fact limit, nor the request's time.
                "-Dbouncedoctor.rules.max-millis-per-fact=3600000", "-jar", JAR.toString()).directory(work.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("OIDC_") || name.startsWith("SECURITY_"));
        builder.environment().putAll(java.util.Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(port),
                "RULES_DIR", rules.toString(),
                // the slow rule has no scenario: it exists to keep a request busy, not to answer one
                "RULES_REQUIRE_EXERCISED", "false",
                "SECURITY_BOOTSTRAP_KEY", KEY,
                "REQUEST_MAX_SECONDS", "3600",
                "QUARKUS_SHUTDOWN_DELAY", SHUTDOWN_DELAY_SECONDS + "s",
                "QUARKUS_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT_SECONDS + "s"));
        service = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            assertTrue(service.isAlive(), () -> "the service stopped during start-up: " + tail());
            try {
                if (http.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, () -> "the service did not become ready: " + tail());
            Thread.sleep(500);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (work != null) {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void whenTheClientLeavesTheRulesStopWorkingForIt() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            byte[] body = slowBatch().getBytes(StandardCharsets.UTF_8);
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/diagnoses/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // Read, admitted and in the rules by now.
            Thread.sleep(1500);
        }
        // The connection is closed; the work stops at its next check, well before one fact of it could have been diagnosed.
        assertTrue(awaitLog("event=request.abandoned why=client-left", Duration.ofSeconds(30)), () -> "the work went on: " + tail());

        // And the service serves on.
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/v1/diagnoses"))
                .header("X-API-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
    }

    @Test
    @Order(2)
    void aStopEndsWithinItsGracefulTimeEvenWithSlowWorkInFlight() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(uri("/v1/diagnoses/batch"))
                .header("X-API-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(slowBatch())).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(1500);
        assertTrue(service.isAlive() && !inFlight.isDone(), "the slow request is being worked on");

        int logBeforeStop = Files.readString(log).length();
        long stopped = System.nanoTime();
        service.destroy(); // SIGTERM, as the kubelet sends it
        // The delay and the wait for requests in flight, then a few seconds to stop: far inside a pod's grace period.
        boolean ended = service.waitFor(SHUTDOWN_DELAY_SECONDS + SHUTDOWN_TIMEOUT_SECONDS + 20, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped);
        assertTrue(ended, () -> "the service was still running " + seconds + " s after SIGTERM: " + tail());
        // The work still running when the graceful wait ends is abandoned: by the shutdown (which logs how many), or,
        // when the server has closed the connection a moment before the shutdown event comes, as its client gone.
        String afterStop = Files.readString(log).substring(logBeforeStop);
        assertTrue(afterStop.contains("event=shutdown.abandoning requests=1") || afterStop.contains("event=request.abandoned"), tail());
    }

    /** Fifty facts that each keep the slow rule firing for hours. */
    private static String slowBatch() {
        String fact = "{\"smtpCode\":550,\"message\":\"burn-cpu-marker " + "a".repeat(300) + "\"}";
        return "[" + String.join(",", java.util.Collections.nCopies(50, fact)) + "]";
    }

    private static boolean awaitLog(String line, Duration atMost) throws Exception {
        if (atMost.isZero()) {
            return Files.readString(log).contains(line);
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(line)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path file : files) {
            Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
