package dev.bouncedoctor.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.engine.RuleSources;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
    void aReadDuringSwapsSeesOnePayloadNeverAMix() throws Exception {
        Map<String, String> a = Map.of("classify/x.drl", "A", "advise/y.drl", "A", "symptoms/z.drl", "A");
        Map<String, String> b = Map.of("classify/x.drl", "B", "advise/y.drl", "B", "symptoms/z.drl", "B");
        KubeletConfigMapDir volume = KubeletConfigMapDir.create(tmp.resolve("rules"), a);
        AtomicBoolean swapping = new AtomicBoolean(true);
        Thread kubelet = new Thread(() -> {
            for (int i = 0; swapping.get(); i++) {
                volume.update(i % 2 == 0 ? b : a);
            }
        });
        kubelet.start();
        int whole = 0;
        try {
            for (int i = 0; i < 2_000; i++) {
                RuleSources read;
                try {
                    read = RuleSources.read(volume.root());
                } catch (UncheckedIOException e) {
                    continue; // the payload being read was removed under it: the poller simply tries again
                }
                assertEquals(1, Set.copyOf(read.files().values()).size(), "one payload, not a mix: " + read.files());
                assertEquals(3, read.files().size(), read.files().toString());
                whole++;
            }
        } finally {
            swapping.set(false);
            kubelet.join();
        }
        assertTrue(whole > 0, "some reads completed");
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
