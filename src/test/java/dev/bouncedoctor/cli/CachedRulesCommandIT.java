package dev.bouncedoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's {@code classify}, twice in processes of their own with one compiled-rules cache: the first compiles
 * the rules and keeps them, the second reads them back and never compiles. Both must give every recipient the same
 * reason. In-process tests cannot show this: their JVM has compiled rules before, which sets Drools up in ways a
 * process that only reads them back must do itself.
 */
class CachedRulesCommandIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final Path MAILS = Path.of("src", "test", "resources", "corpus", "sisimai", "maildir", "bsd").toAbsolutePath();

    private record Result(int code, String out, String err) {
    }

    @Test
    void aCommandOnCachedRulesAnswersAsOneThatCompiledThem(@TempDir Path workDir) throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "the jar is built by the package phase");
        Path cache = workDir.resolve("cache");
        Result compiled = classify(workDir, cache);
        assertEquals(0, compiled.code(), compiled.err());
        assertEquals(1, entries(cache), "the accepted set is kept");
        Result cached = classify(workDir, cache);
        assertEquals(0, cached.code(), cached.err());
        assertTrue(compiled.out().lines().count() > 600, "a line per recipient of the corpus: " + compiled.out().lines().count());
        assertEquals(compiled.out(), cached.out());
        assertEquals(1, entries(cache), "read back, not kept again");
    }

    private static long entries(Path cache) throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(p -> p.toString().endsWith(".rules")).count();
        }
    }

    private static Result classify(Path workDir, Path cache) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "classify", MAILS.toString(), "--rules", Path.of("rules").toAbsolutePath().toString())).directory(workDir.toFile());
        builder.environment().put("RULES_CACHE_DIR", cache.toString());
        Path out = workDir.resolve("out.txt");
        Path err = workDir.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the command finishes");
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
