package dev.bouncedoctor.check;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The service with DNS lookups on, asking {@link LoopbackDns} only. */
public class LoopbackDnsProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LoopbackDns.class));
    }
}
