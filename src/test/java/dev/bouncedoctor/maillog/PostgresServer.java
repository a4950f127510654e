package dev.bouncedoctor.maillog;

import static dev.bouncedoctor.testing.LocalProcesses.deleteTree;
import static dev.bouncedoctor.testing.LocalProcesses.freePort;
import static dev.bouncedoctor.testing.LocalProcesses.run;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests: the machine's own binaries (Debian's postgresql package,
 * which .ci/run installs, or PG_BIN), a throw-away cluster on a free loopback port. PostgreSQL
 * refuses to run as root, so under root (CI) it runs as the postgres user via runuser.
 */
public class PostgresServer implements QuarkusTestResourceLifecycleManager {

    private static Path dataDir;
    private static int port;
    private static Path bin;

    @Override
    public Map<String, String> start() {
        try {
            bin = binaries();
            dataDir = Files.createTempDirectory("bounce-doctor-pg");
            port = freePort();
            if (asRoot()) {
                run(List.of("chown", "-R", "postgres:postgres", dataDir.toString()));
            }
            run(pg("initdb", "-D", dataDir.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
            startServer();
            return Map.of(
                    "DB_KIND", "postgresql",
                    "DB_URL", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                    "DB_USERNAME", "postgres",
                    "DB_PASSWORD", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try {
            stopServer();
        } finally {
            deleteTree(dataDir);
        }
    }

    /**
     * Starts (or restarts) the server on the same port and data. fsync is off (the tests never crash the machine, only
     * the server), but commits are synchronous: with synchronous_commit=off a commit is answered before its WAL leaves
     * the server's memory, and stopping the server as an outage does loses commits the service has acknowledged.
     */
    public static void startServer() {
        run(pg("pg_ctl", "-D", dataDir.toString(), "-l", dataDir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    /** Stops the server at once, as an outage would. */
    public static void stopServer() {
        if (dataDir != null && Files.exists(dataDir.resolve("postmaster.pid"))) {
            run(pg("pg_ctl", "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
        }
    }

    private static List<String> pg(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(Arrays.asList(args));
        return command;
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** PG_BIN, else the newest /usr/lib/postgresql/N/bin (Debian), else initdb on the PATH. */
    private static Path binaries() {
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0"))));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "initdb"))) {
                return realBin(Path.of(dir, "initdb"));
            }
        }
        throw new IllegalStateException("no PostgreSQL server binaries found: install Debian's postgresql package (.ci/run does) or set PG_BIN to the directory of initdb and pg_ctl");
    }

    private static Path realBin(Path initdb) {
        try {
            return initdb.toRealPath().getParent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
