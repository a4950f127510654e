package dev.bouncedoctor.maillog;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The service on a real PostgreSQL server instead of the embedded H2: built for PostgreSQL, as the
 * container image is (the datasource's db-kind is build-time configuration, which a test profile
 * may change: Quarkus builds the application again for it).
 */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.db-kind", "postgresql");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresServer.class));
    }
}
