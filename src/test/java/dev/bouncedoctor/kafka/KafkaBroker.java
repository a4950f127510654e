package dev.bouncedoctor.kafka;

import static dev.bouncedoctor.testing.LocalProcesses.deleteTree;
import static dev.bouncedoctor.testing.LocalProcesses.freePort;
import static dev.bouncedoctor.testing.LocalProcesses.run;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker for the tests: one KRaft node (broker and controller in one, no ZooKeeper, no container) run from
 * the kafka_2.13 jars on the test class path, in a JVM of its own so that it can be killed and started again on the
 * same port and log directory, as a broker outage would look to the service.
 */
public class KafkaBroker implements QuarkusTestResourceLifecycleManager {

    static final String EVENTS = "bounce-doctor.events";
    static final String DEAD_LETTERS = "bounce-doctor.events.dlq";
    static final String DIAGNOSES = "bounce-doctor.diagnoses";
    /** More partitions than one, so that recipients spread and a second group member gets some. */
    static final int PARTITIONS = 4;

    private static Path dir;
    /** Outside the throw-away directory, so that it is still there to read after a failed run. */
    private static final Path LOG = Path.of("target", "kafka-broker.log");
    private static int port;
    private static Process process;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("bounce-doctor-kafka");
            Files.createDirectories(LOG.getParent());
            Files.deleteIfExists(LOG);
            port = freePort();
            int controllerPort = freePort();
            Files.writeString(dir.resolve("server.properties"), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=" + PARTITIONS,
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=4",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    ""));
            run(List.of(java(), "-cp", classPath(), "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                    "-c", dir.resolve("server.properties").toString()));
            startBroker();
            try (Admin admin = admin()) {
                admin.createTopics(List.of(new NewTopic(EVENTS, PARTITIONS, (short) 1), new NewTopic(DEAD_LETTERS, 1, (short) 1),
                        new NewTopic(DIAGNOSES, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            return Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
                    "KAFKA_DIAGNOSES_TOPIC", DIAGNOSES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the test Kafka broker did not start; its log: " + LOG.toAbsolutePath(), e);
        }
    }

    @Override
    public void stop() {
        try {
            stopBroker();
        } finally {
            deleteTree(dir);
        }
    }

    static String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    static Admin admin() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(config);
    }

    /** Starts (or restarts) the broker on the same ports and log directory, and waits until it answers. */
    static void startBroker() {
        try {
            process = new ProcessBuilder(java(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath(),
                    "kafka.Kafka", dir.resolve("server.properties").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the test Kafka broker exited:\n" + log());
                }
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("the test Kafka broker did not answer:\n" + log(), notYet);
                    }
                }
            }
        }
    }

    /** Kills the broker at once (SIGKILL), as a crash would: nothing is shut down in order. */
    static void stopBroker() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String log() {
        try {
            List<String> lines = Files.readAllLines(LOG);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test JVM's own class path (surefire's, possibly a manifest-only jar), which holds the broker's jars. */
    private static String classPath() {
        return System.getProperty("java.class.path");
    }
}
