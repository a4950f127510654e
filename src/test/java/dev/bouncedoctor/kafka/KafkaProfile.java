package dev.bouncedoctor.kafka;

import dev.bouncedoctor.maillog.PostgresServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The service as the Kubernetes prod overlay runs it with Kafka: built for PostgreSQL, events from a real broker
 * ({@link KafkaBroker}), diagnoses to the output topic. PostgreSQL rather than H2 so that the database, too, can be
 * stopped and started under the consumer.
 */
public class KafkaProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                // A consumer that is gone (a killed replica, a broker restart) is noticed in seconds rather than 45 s.
                "mp.messaging.incoming.events-in.session.timeout.ms", "6000",
                "mp.messaging.incoming.events-in.heartbeat.interval.ms", "1000");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresServer.class), new TestResourceEntry(KafkaBroker.class));
    }
}
