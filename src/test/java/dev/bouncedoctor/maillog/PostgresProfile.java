package dev.bouncedoctor.maillog;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The service on a real PostgreSQL server instead of the embedded H2. */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresServer.class));
    }
}
