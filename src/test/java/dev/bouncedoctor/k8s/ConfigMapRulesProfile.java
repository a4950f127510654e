package dev.bouncedoctor.k8s;

import dev.bouncedoctor.engine.RuleSources;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

/**
 * Serves the shipped rules from a directory laid out like a mounted ConfigMap, polled every second: the reduced set of
 * the reload tests ({@link dev.bouncedoctor.engine.ReducedRules}), since each edit compiles all of it.
 */
public class ConfigMapRulesProfile implements QuarkusTestProfile {

    public static final SortedMap<String, String> SHIPPED = new java.util.TreeMap<>(RuleSources.read(Path.of("rules")).files());

    static {
        SHIPPED.keySet().removeIf(path -> !dev.bouncedoctor.engine.ReducedRules.kept(path));
    }
    public static final KubeletConfigMapDir VOLUME = KubeletConfigMapDir.create(tempDir(), SHIPPED);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rules.dir", VOLUME.root().toString(), "rules.poll-interval", "1s", "rules.require-exercised", "false");
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("bounce-doctor-configmap").resolve("rules");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
