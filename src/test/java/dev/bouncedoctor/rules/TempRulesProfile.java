package dev.bouncedoctor.rules;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Serves a private copy of rules/ that the test may edit, polled every second. Validations time out at once here,
 * so that the time limit can be tested without a rule set that is slow on purpose (none of these tests validates otherwise).
 *
 * <p>The copy is {@link dev.bouncedoctor.engine.ReducedRules}: these tests are about reloading, not about the knowledge,
 * and each reload compiles the whole copy.
 */
public class TempRulesProfile implements QuarkusTestProfile {

    public static final Path DIR = copyOf(Path.of("rules"));

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rules.dir", DIR.toString(), "rules.poll-interval", "1s", "rules.require-exercised", "false", "rules.validate.timeout", "1ms");
    }

    /** Puts the shipped rules back, removing whatever a test added. */
    public static void restore() {
        try {
            try (Stream<Path> walk = Files.walk(DIR)) {
                walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(DIR)).forEach(p -> p.toFile().delete());
            }
            copyRules(Path.of("rules"), DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyOf(Path source) {
        try {
            Path dir = Files.createTempDirectory("bounce-doctor-rules");
            copyRules(source, dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyRules(Path source, Path target) throws IOException {
        copyTree(source, target);
        java.util.List<Path> dropped;
        try (Stream<Path> walk = Files.walk(target)) {
            dropped = walk.filter(Files::isRegularFile).filter(p -> {
                String rel = target.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                return !dev.bouncedoctor.engine.ReducedRules.kept(rel);
            }).toList();
        }
        for (Path p : dropped) {
            Files.delete(p);
        }
    }

    /** Copies a directory tree, replacing files that exist; shared by the tests that need a private copy of rules/ or k8s/. */
    public static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
