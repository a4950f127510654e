package dev.bouncedoctor.kafka;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.EventIngestService;
import dev.bouncedoctor.maillog.EventRequest;
import dev.bouncedoctor.maillog.PostgresServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events through a real Kafka broker into a real PostgreSQL: order per recipient, once per eventId, dead letters for
 * what cannot be stored, and nothing lost or applied twice when a consumer dies mid-stream, when the broker restarts
 * and when the database is away. Every wait below waits for an outcome (with a generous limit so that a failure ends);
 * nothing asserts how long anything took.
 */
@QuarkusTest
@TestProfile(KafkaProfile.class)
class KafkaIngestTest {

    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final String GROUP = "bounce-doctor";

    @Inject
    DataSource database;
    @Inject
    EventIngestService ingest;
    @Inject
    ObjectMapper json;

    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> diagnoses;
    private final List<ConsumerRecord<String, String>> published = new ArrayList<>();
    private String domain;

    @BeforeEach
    void connect() {
        domain = "k" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        diagnoses = consumer("reader-" + UUID.randomUUID());
        diagnoses.subscribe(List.of(KafkaBroker.DIAGNOSES));
    }

    @AfterEach
    void close() {
        producer.close();
        diagnoses.close();
    }

    @Test
    void eachRecipientsEventsAreStoredInTheirOrderOnceAndPublished() throws Exception {
        List<String> recipients = recipientsOnEveryPartition(2);
        List<String> ids = produce(recipients, 5, "a");
        awaitStored(ids);

        for (String recipient : recipients) {
            List<String> inOrder = ids.stream().filter(id -> id.startsWith(recipient + "/")).toList();
            assertEquals(inOrder, storedOrder(recipient), recipient + ": stored in the order sent");
            assertEquals(inOrder.size(), consecutiveFailures(recipient), recipient + ": each failure counted once");
        }
        Map<String, JsonNode> results = awaitPublished(ids, true);
        JsonNode last = results.get(ids.get(ids.size() - 1));
        assertEquals("mailboxfull", last.at("/diagnosis/diagnoses/0/reason").asText(), "the result carries the diagnosis: " + last);
        assertEquals(ids.get(ids.size() - 1), last.at("/event/eventId").asText());
        assertEquals(5, last.at("/recipient/consecutiveFailures").asInt(), "and the recipient's state: " + last);

        // The same records again, as a producer retrying after a lost acknowledgement would send them: found by eventId.
        for (String id : ids) {
            send(recipientOf(id), event(id, recipientOf(id), Integer.parseInt(id.substring(id.lastIndexOf('-') + 1))));
        }
        producer.flush();
        awaitPublished(ids, false);
        assertOncePerEventId(ids);
        for (String recipient : recipients) {
            assertEquals(5, consecutiveFailures(recipient), recipient + ": the repeats changed nothing");
        }
    }

    @Test
    void recordsThatCannotBeStoredGoToTheDeadLetterTopicWithTheirReason() throws Exception {
        String recipient = "dora@" + domain;
        String first = recipient + "/ok-1";
        Map<String, String> poison = new LinkedHashMap<>();
        poison.put("not-json", "{\"eventId\": \"" + recipient + "/broken\", ");
        poison.put("invalid-field", "{\"eventId\":\"" + recipient + "/bad\",\"recipient\":\"" + recipient + "\",\"smtpCode\":55}");
        poison.put("unknown-field", "{\"eventId\":\"" + recipient + "/typo\",\"recipient\":\"" + recipient + "\",\"smtpCod\":550}");
        poison.put("no-event-id", "{\"recipient\":\"" + recipient + "\",\"status\":\"bounced\",\"smtpCode\":550}");
        poison.put("reused-id", event(first, recipient, 1).replace("over quota", "over its quota"));
        send(recipient, event(first, recipient, 1));
        for (String value : poison.values()) {
            send(recipient, value);
        }
        String after = recipient + "/ok-2";
        send(recipient, event(after, recipient, 2));
        producer.flush();
        awaitStored(List.of(first, after));

        List<ConsumerRecord<String, String>> dead = awaitDeadLetters(recipient, poison.size());
        List<String> values = dead.stream().map(ConsumerRecord::value).toList();
        assertEquals(new ArrayList<>(poison.values()), values, "each poison record, in order, as sent");
        Map<String, String> types = new TreeMap<>();
        List<String> keys = new ArrayList<>(poison.keySet());
        for (int i = 0; i < dead.size(); i++) {
            ConsumerRecord<String, String> d = dead.get(i);
            assertEquals(recipient, d.key(), "the key is kept");
            assertFalse(header(d, "dead-letter-reason").isBlank(), "a reason is given");
            assertEquals(KafkaBroker.EVENTS, header(d, "dead-letter-topic"));
            types.put(keys.get(i), header(d, KafkaEventsConsumer.PROBLEM_TYPE_HEADER));
        }
        assertEquals("urn:bounce-doctor:problem:event-id-reused", types.get("reused-id"));
        assertEquals("urn:bounce-doctor:problem:invalid-fact", types.get("not-json"));
        assertEquals("urn:bounce-doctor:problem:invalid-fact", types.get("invalid-field"));
        assertTrue(header(dead.get(1), "dead-letter-reason").contains("smtpCode"), "the field to fix is named: " + header(dead.get(1), "dead-letter-reason"));
        assertTrue(header(dead.get(3), "dead-letter-reason").contains("eventId"), header(dead.get(3), "dead-letter-reason"));
        assertEquals(List.of(first, after), storedOrder(recipient), "only the good events are stored, the first under its id unchanged");
        assertEquals("552-5.2.2 The email account that you tried to reach is over quota.", message(first));
    }

    /**
     * A second member of the consumer group (another replica) takes some partitions, stores what it reads there through
     * the same service, and dies before committing its offsets. The partitions return to the service's consumer, which
     * reads those records again from the last committed offset: they are found by eventId, nothing is stored twice and
     * nothing is lost, before, during or after.
     */
    @Test
    void aConsumerThatDiesMidStreamLosesNothingAndNothingIsAppliedTwice() throws Exception {
        List<String> recipients = recipientsOnEveryPartition(2);
        List<String> before = produce(recipients, 2, "a");
        awaitStored(before);

        Set<String> storedByTheDeadReplica = new HashSet<>();
        List<String> during;
        try (KafkaConsumer<String, String> replica = consumer(GROUP)) {
            replica.subscribe(List.of(KafkaBroker.EVENTS));
            await("the second replica has partitions", () -> {
                replica.poll(Duration.ofMillis(200)).forEach(r -> storedByTheDeadReplica.add(store(r)));
                return !replica.assignment().isEmpty();
            });
            Set<Integer> itsPartitions = replica.assignment().stream().map(TopicPartition::partition).collect(Collectors.toSet());
            assertTrue(itsPartitions.size() < KafkaBroker.PARTITIONS, "the group shares the partitions: " + itsPartitions);
            during = produce(recipients, 2, "b");
            List<String> itsShare = during.stream().filter(id -> itsPartitions.contains(partitionOf(recipientOf(id)))).toList();
            assertFalse(itsShare.isEmpty());
            await("the second replica has stored its share", () -> {
                replica.poll(Duration.ofMillis(200)).forEach(r -> storedByTheDeadReplica.add(store(r)));
                return storedByTheDeadReplica.containsAll(itsShare);
            });
            // Closed without committing: as far as the group knows, its records were never processed.
        }
        List<String> after = produce(recipients, 2, "c");

        List<String> all = new ArrayList<>(before);
        all.addAll(during);
        all.addAll(after);
        awaitStored(all);
        // The service read the dead replica's records again: it published each as already stored.
        awaitPublished(new ArrayList<>(storedByTheDeadReplica), false);
        assertOncePerEventId(all);
        for (String recipient : recipients) {
            assertEquals(all.stream().filter(id -> id.startsWith(recipient + "/")).toList(), storedOrder(recipient), recipient + ": in order");
            assertEquals(6, consecutiveFailures(recipient), recipient + ": each failure counted once");
        }
    }

    /**
     * The broker is killed while the service is still working through a stream of records (some stored, some not, some
     * results published, offsets partly committed) and started again: everything is stored once, and each has a result.
     */
    @Test
    void aBrokerRestartMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
        List<String> recipients = recipientsOnEveryPartition(1);
        List<String> before = produce(recipients, 3, "a");
        // No waiting for the service: the broker dies while the records above are being stored and their offsets committed.
        KafkaBroker.stopBroker();
        KafkaBroker.startBroker();
        List<String> after = produce(recipients, 3, "b");

        List<String> all = new ArrayList<>(before);
        all.addAll(after);
        awaitStored(all);
        // A record stored just before the broker died may be read again afterwards; its result then says created=false.
        awaitPublished(all, null);
        assertOncePerEventId(all);
        for (String recipient : recipients) {
            assertEquals(all.stream().filter(id -> id.startsWith(recipient + "/")).toList(), storedOrder(recipient), recipient + ": in order");
            assertEquals(6, consecutiveFailures(recipient), recipient + ": each failure counted once");
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    /**
     * While the database is away the records reach the consumer but are neither stored, nor acknowledged, nor
     * dead-lettered; once it is back they are stored, once each.
     */
    @Test
    void aDatabaseOutageHoldsTheRecordsUnacknowledgedAndLosesNothing() throws Exception {
        String recipient = "olga@" + domain;
        List<String> ids = List.of(recipient + "/x-1", recipient + "/x-2");
        int partition = partitionOf(recipient);
        double seen = received();
        List<Long> offsets = new ArrayList<>();
        PostgresServer.stopServer();
        try {
            for (int i = 0; i < ids.size(); i++) {
                offsets.add(send(recipient, event(ids.get(i), recipient, i + 1)).offset());
            }
            producer.flush();
            await("the consumer has the first record", () -> received() > seen);
            OffsetAndMetadata committed;
            try (Admin admin = KafkaBroker.admin()) {
                committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                        .get(new TopicPartition(KafkaBroker.EVENTS, partition));
            }
            assertTrue(committed == null || committed.offset() <= offsets.get(0),
                    "no offset beyond the held record is committed: " + committed + " vs " + offsets.get(0));
        } finally {
            PostgresServer.startServer();
        }
        awaitStored(ids);
        assertOncePerEventId(ids);
        assertEquals(List.of(), deadLetters(recipient), "an outage is not the record's fault");
        assertEquals(2, consecutiveFailures(recipient));
    }

    /** The connector's channels take part in the probes: both up while the broker and the consumer are. */
    @Test
    void theChannelsAreInTheProbes() {
        String ready = given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertTrue(ready.contains("events-in") && ready.contains("diagnoses-out"), ready);
        given().get("/q/health/live").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("UP"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("kafka_consumer_fetch_manager_records_lag_max"), "the consumer's lag is on /q/metrics");
    }

    // --- producing

    /** Recipients of this test, {@code perPartition} on each partition of the events topic (keys decide partitions). */
    private List<String> recipientsOnEveryPartition(int perPartition) {
        Map<Integer, List<String>> byPartition = new HashMap<>();
        List<String> recipients = new ArrayList<>();
        for (int i = 0; recipients.size() < perPartition * KafkaBroker.PARTITIONS; i++) {
            String recipient = "r" + i + "@" + domain;
            List<String> on = byPartition.computeIfAbsent(partitionOf(recipient), p -> new ArrayList<>());
            if (on.size() < perPartition) {
                on.add(recipient);
                recipients.add(recipient);
            }
        }
        return recipients;
    }

    /** The partition the producer's default partitioner picks for a key. */
    private static int partitionOf(String recipient) {
        return Utils.toPositive(Utils.murmur2(recipient.getBytes(StandardCharsets.UTF_8))) % KafkaBroker.PARTITIONS;
    }

    /** Rounds a, b, c of {@code each} events per recipient number them on, so that each recipient's events are in time order. */
    private List<String> produce(List<String> recipients, int each, String round) {
        return produce(recipients, each, round, (round.charAt(0) - 'a') * each + 1);
    }

    private List<String> produce(List<String> recipients, int each, String round, int firstIndex) {
        List<String> ids = new ArrayList<>();
        for (String recipient : recipients) {
            for (int i = firstIndex; i < firstIndex + each; i++) {
                String id = recipient + "/" + round + "-" + i;
                send(recipient, event(id, recipient, i));
                ids.add(id);
            }
        }
        producer.flush();
        return ids;
    }

    private RecordMetadata send(String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(KafkaBroker.EVENTS, key, value)).get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError("the test producer could not send", e);
        }
    }

    /** A soft bounce (mailbox full) happening at minute {@code index}: every one counts as a failure of its recipient. */
    private static String event(String id, String recipient, int index) {
        return "{\"eventId\":\"" + id + "\",\"recipient\":\"" + recipient + "\",\"status\":\"bounced\",\"smtpCode\":552,"
                + "\"message\":\"552-5.2.2 The email account that you tried to reach is over quota.\","
                + "\"occurredAt\":\"" + Instant.parse("2026-11-20T10:00:00Z").plusSeconds(60L * index) + "\"}";
    }

    private static String recipientOf(String id) {
        return id.substring(0, id.indexOf('/'));
    }

    /**
     * What a second replica does with a record: the same service call as the Kafka entry's. Another test's records it may
     * see (poison included) are no concern of this one.
     */
    private String store(ConsumerRecord<String, String> record) {
        try {
            EventRequest request = json.readValue(record.value(), EventRequest.class);
            ingest.ingest(request);
            return request.eventId();
        } catch (Exception e) {
            return "";
        }
    }

    // --- reading the outcome

    private KafkaConsumer<String, String> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /** The results published for these events, waiting until each has one with the given {@code bd-created} (null: either). */
    private Map<String, JsonNode> awaitPublished(List<String> ids, Boolean created) {
        Map<String, JsonNode> found = new HashMap<>();
        await("the results of " + ids.size() + " events are published (created=" + created + ")", () -> {
            diagnoses.poll(Duration.ofMillis(200)).forEach(published::add);
            found.clear();
            for (ConsumerRecord<String, String> r : published) {
                if (created == null || Boolean.parseBoolean(header(r, "bd-created")) == created) {
                    JsonNode value = readTree(r.value());
                    String id = value.at("/event/eventId").asText();
                    if (ids.contains(id)) {
                        assertEquals(value.at("/event/recipient").asText(), r.key(), "keyed by recipient");
                        found.put(id, value);
                    }
                }
            }
            return found.keySet().containsAll(ids);
        });
        return found;
    }

    private List<ConsumerRecord<String, String>> awaitDeadLetters(String key, int count) {
        List<ConsumerRecord<String, String>> dead = new ArrayList<>();
        await(count + " dead letters", () -> {
            dead.clear();
            dead.addAll(deadLetters(key));
            return dead.size() >= count;
        });
        return dead;
    }

    /** The dead-letter topic's records with this key, read from its start. */
    private List<ConsumerRecord<String, String>> deadLetters(String key) {
        List<ConsumerRecord<String, String>> dead = new ArrayList<>();
        try (KafkaConsumer<String, String> reader = consumer("dlq-" + UUID.randomUUID())) {
            TopicPartition partition = new TopicPartition(KafkaBroker.DEAD_LETTERS, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition)).get(partition);
            while (reader.position(partition) < end) {
                reader.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        dead.add(r);
                    }
                });
            }
        }
        return dead;
    }

    /** Records that reached the consumer method, from the channel's message counter. */
    private static double received() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> (l.startsWith("mp_messaging_message_count") || l.startsWith("quarkus_messaging_message_count")) && l.contains("channel=\"events-in\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private void awaitStored(List<String> ids) {
        await(ids.size() + " events stored", () -> storedCount(ids) == ids.size());
    }

    private void assertOncePerEventId(List<String> ids) throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("select event_id, count(*) from mail_event where recipient like ? group by event_id")) {
            s.setString(1, "%@" + domain);
            Map<String, Integer> counts = new HashMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getInt(2));
                }
            }
            for (String id : ids) {
                assertEquals(1, counts.getOrDefault(id, 0), id + " is stored exactly once");
            }
        }
    }

    private int storedCount(List<String> ids) {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("select event_id from mail_event where recipient like ?")) {
            s.setString(1, "%@" + domain);
            Set<String> stored = new HashSet<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    stored.add(r.getString(1));
                }
            }
            return (int) ids.stream().filter(stored::contains).count();
        } catch (SQLException e) {
            return -1; // the database is away; the caller waits
        }
    }

    /** The recipient's eventIds in the order the mail log stored them. */
    private List<String> storedOrder(String recipient) throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("select event_id from mail_event where recipient = ? order by id")) {
            s.setString(1, recipient);
            List<String> ids = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            return ids;
        }
    }

    private int consecutiveFailures(String recipient) throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("select consecutive_failures from recipient_state where address = ?")) {
            s.setString(1, recipient);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getInt(1) : 0;
            }
        }
    }

    private String message(String eventId) throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("select message from mail_event where event_id = ?")) {
            s.setString(1, eventId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private JsonNode readTree(String value) {
        try {
            return json.readTree(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits for an outcome, checking it again and again; the limit only ends a test that would otherwise hang. */
    private static void await(String what, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(LIMIT);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not reached within " + LIMIT + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
