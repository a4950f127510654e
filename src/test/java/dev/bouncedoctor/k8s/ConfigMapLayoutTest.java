package dev.bouncedoctor.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.rules.RuleSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules reader sees a ConfigMap volume as the plain directory it was made from, before and after a swap. */
class ConfigMapLayoutTest {

    @TempDir
    Path tmp;

    @Test
    void aMountedConfigMapReadsLikeTheRulesDirectory() throws Exception {
        RuleSources shipped = RuleSources.read(Path.of("rules"));
        KubeletConfigMapDir volume = KubeletConfigMapDir.create(tmp.resolve("rules"), shipped.files());
        assertTrue(Files.isSymbolicLink(volume.root().resolve("..data")), "the layout under test is the kubelet's");

        RuleSources mounted = RuleSources.read(volume.root());
        assertEquals(shipped.files().keySet(), mounted.files().keySet(), "each file once, at its own path, none under ..data");
        assertEquals(shipped.version(), mounted.version(), "a pod reports the same version as the repository's rules/");
    }

    @Test
    void aSwapOfDataShowsTheNewPayloadOnly() {
        Map<String, String> before = new TreeMap<>(Map.of("classify/a.drl", "one", "advise/b.drl", "two"));
        KubeletConfigMapDir volume = KubeletConfigMapDir.create(tmp.resolve("rules"), before);
        String oldVersion = RuleSources.read(volume.root()).version();

        Map<String, String> after = new TreeMap<>(Map.of("classify/a.drl", "one, edited", "symptoms/c.drl", "three"));
        volume.update(after);

        RuleSources read = RuleSources.read(volume.root());
        assertEquals(after, read.files(), "the removed directory is gone and the edit is visible");
        assertNotEquals(oldVersion, read.version());
    }
}
