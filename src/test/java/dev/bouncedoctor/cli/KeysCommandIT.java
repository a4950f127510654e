package dev.bouncedoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's {@code keys} command, run as an admin would, in a process of its own, next to
 * another process (standing in for the running service) that holds the database open. Run by
 * failsafe after the jar is built.
 */
class KeysCommandIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    private record Result(int code, String out, String err) {
    }

    /** The default embedded database can have one process at a time: the command says what to do instead, then works once it is free. */
    @Test
    void theDefaultDatabaseHeldByTheServiceIsExplainedThenUsedOnceFree(@TempDir Path workDir) throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "the jar is built by the package phase");
        // application.properties' default DB_URL, resolved from the command's working directory.
        String url = "jdbc:h2:file:" + workDir.resolve("data/bounce-doctor") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (Connection service = DriverManager.getConnection(url, "sa", "")) {
            Result refused = keys(workDir, Map.of(), "list");
            assertEquals(1, refused.code(), refused.err());
            assertTrue(refused.err().contains("open in the running service") && refused.err().contains("/v1/keys"), refused.err());
            assertEquals("", refused.out());
        }
        Result usage = keys(workDir, Map.of());
        assertEquals(2, usage.code(), "keys alone is bad usage, answered without starting anything");
        assertTrue(usage.err().contains("usage:"), usage.err());
        Result created = keys(workDir, Map.of(), "create", "--name", "support-ui", "--role", "read");
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().strip().matches("bdk_[A-Za-z0-9_-]{43}"), created.out());
    }

    /**
     * Both processes on an AUTO_SERVER URL: the second goes through the first, so keys are managed
     * while it runs. (Revoking and bad usage are the same code, tested in-process by ApiKeyLifecycleTest;
     * each start of the jar costs seconds.)
     */
    @Test
    void managesKeysInADatabaseAnotherProcessServes(@TempDir Path workDir) throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "the jar is built by the package phase");
        String url = "jdbc:h2:file:" + workDir.resolve("db/bounce-doctor") + ";AUTO_SERVER=TRUE";
        Map<String, String> env = Map.of("DB_URL", url);
        try (Connection service = DriverManager.getConnection(url, "sa", "")) {
            Result created = keys(workDir, env, "create", "--name", "support-ui", "--role", "operator", "--role", "read");
            assertEquals(0, created.code(), created.err());
            String key = created.out().strip();
            assertTrue(key.matches("bdk_[A-Za-z0-9_-]{43}"), "standard output is the key alone: " + created.out());

            // The process holding the database sees the new key, stored as a hash.
            List<String> rows = rows(service, "select name, key_hash, roles, revoked_at from api_key");
            assertEquals(1, rows.size(), rows.toString());
            assertTrue(rows.get(0).startsWith("support-ui|") && rows.get(0).contains("|read,operator|"), rows.toString());
            assertFalse(rows.get(0).contains(key.substring(4)), "only the hash is stored");

            Result listed = keys(workDir, env, "list");
            assertEquals(0, listed.code(), listed.err());
            assertTrue(listed.out().lines().anyMatch(l -> l.startsWith("support-ui\tread,operator\t") && l.endsWith("\t-")), listed.out());
            assertFalse(listed.out().contains(key.substring(4)), "never the key");
        }
    }

    /** The jar serves the kind it was built for (H2 by default): DB_KIND naming another stops it, saying which build to use. */
    @Test
    void aDatabaseKindTheJarWasNotBuiltForIsRefusedWithTheBuildToUse(@TempDir Path workDir) throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "the jar is built by the package phase");
        Result refused = keys(workDir, Map.of("DB_KIND", "postgresql"), "list");
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("built for h2") && refused.err().contains("-Dquarkus.datasource.db-kind=postgresql"), refused.err());
        assertEquals("", refused.out());
    }

    private static Result keys(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A short-lived command: the quick compiler only, as for any CLI start-up.
                "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "keys"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("OIDC_") || name.startsWith("SECURITY_"));
        builder.environment().putAll(env);
        Path out = workDir.resolve("out.txt");
        Path err = workDir.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the command finishes");
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }
}
