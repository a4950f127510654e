package dev.bouncedoctor.cli;

import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.security.ApiKeys;
import dev.bouncedoctor.security.ApiKeys.CreatedKey;
import dev.bouncedoctor.security.ApiKeys.KeyView;
import dev.bouncedoctor.security.Roles;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code keys create|list|revoke}: API key management from the jar. Unlike the other commands it
 * needs the database, so it runs inside Quarkus in command mode, with the service's own datasource
 * configuration (DB_KIND, DB_URL, …) and migrations, but without the HTTP port, the rules or the
 * scheduled jobs. Results on standard output, complaints on standard error; 0 done, 1 the database
 * could not be opened (e.g. the running service holds the embedded one), 2 bad usage.
 */
@ApplicationScoped
@Unremovable
public class KeysCommand implements QuarkusApplication {

    public static final String NAME = "keys";

    static final String USAGE = """
            usage: java -jar quarkus-run.jar keys create --name NAME --role ROLE [--role ROLE …]
                                                         prints the new key once, on standard output
                   java -jar quarkus-run.jar keys list    name, roles, created, last used, revoked
                   java -jar quarkus-run.jar keys revoke --name NAME
            roles: %s
            The database is the service's: DB_KIND, DB_URL, DB_USERNAME, DB_PASSWORD as for the service.
            """.formatted(String.join(", ", Roles.ALL));

    private final ApiKeys keys;

    public KeysCommand(ApiKeys keys) {
        this.keys = keys;
    }

    /**
     * Starts Quarkus for the command and exits with its code. The switches go in as system
     * properties before the start, so that they win over application.properties.
     */
    static void launch(String... args) {
        if (args.length < 2 || args[1].equals("help") || args[1].equals("--help")) {
            // Only the usage: no database, so no need to start anything.
            System.exit(new KeysCommand(null).run(System.out, System.err, args));
        }
        CommandMode.configure();
        // Key management needs no rules.
        System.setProperty("rules.load-on-start", "false");
        Quarkus.run(KeysCommand.class, KeysCommand::exit, args);
    }

    /** Exits with the command's code; a start that failed because the service holds the embedded database says what to do instead. */
    private static void exit(int code, Throwable failure) {
        if (failure != null && databaseInUse(failure)) {
            System.err.println("keys: the embedded database is open in the running service, and H2 lets one process at a time use it. "
                    + "Create, list and revoke keys over HTTP with an admin key instead (POST/GET /v1/keys, DELETE /v1/keys/NAME), "
                    + "or stop the service and run this again.");
            code = 1;
        } else if (failure != null) {
            // E.g. DB_KIND naming another kind than the jar was built for, or a database that is not there: say what, once.
            System.err.println("keys: the database could not be opened: " + CommandMode.rootMessage(failure));
            code = 1;
        }
        System.exit(code);
    }

    /** H2's "Database may be already in use" (90020): the file's lock is held by another process. */
    static boolean databaseInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 90020) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int run(String... args) {
        return run(System.out, System.err, args);
    }

    /** {@code args} start with "keys". */
    public int run(PrintStream out, PrintStream err, String... args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (!rest.isEmpty() && rest.get(0).equals(NAME)) {
            rest.remove(0);
        }
        if (rest.isEmpty() || rest.get(0).equals("help") || rest.get(0).equals("--help")) {
            (rest.isEmpty() ? err : out).print(USAGE);
            return rest.isEmpty() ? 2 : 0;
        }
        String action = rest.remove(0);
        try {
            return switch (action) {
                case "create" -> create(rest, out, err);
                case "list" -> rest.isEmpty() ? list(out) : usage(err, "list takes no arguments");
                case "revoke" -> revoke(rest, out, err);
                default -> usage(err, "unknown keys command '" + action + "'");
            };
        } catch (InvalidFactException e) {
            e.errors().forEach(error -> err.println("keys " + action + ": --" + ("roles".equals(error.field()) ? "role" : error.field()) + ": " + error.message()));
            return 2;
        } catch (ApiKeys.NameTaken | ApiKeys.UnknownKey e) {
            err.println("keys " + action + ": " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
    }

    private int create(List<String> args, PrintStream out, PrintStream err) {
        String name = null;
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--name" -> name = value(args, ++i, arg);
                // "--role a --role b", and "--role a,b" for the impatient
                case "--role", "--roles" -> roles.addAll(Arrays.asList(value(args, ++i, arg).split(",")));
                default -> throw new IllegalArgumentException("create does not take '" + arg + "'");
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("create needs --name NAME");
        }
        CreatedKey created = keys.create(name, roles.stream().map(String::trim).filter(r -> !r.isEmpty()).toList());
        out.println(created.key());
        out.flush();
        err.println("created key '" + created.name() + "' with the roles " + String.join(", ", created.roles())
                + ". It is shown only this once and stored only as a hash; send it as the X-API-Key header. "
                + "Revoke it with: keys revoke --name " + created.name());
        return 0;
    }

    private int list(PrintStream out) {
        out.println("name\troles\tcreated\tlast-used\trevoked");
        for (KeyView k : keys.list()) {
            out.println(String.join("\t", k.name(), String.join(",", k.roles()), time(k.createdAt()), time(k.lastUsedAt()), time(k.revokedAt())));
        }
        return 0;
    }

    private int revoke(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 2 || !args.get(0).equals("--name")) {
            throw new IllegalArgumentException("revoke takes --name NAME");
        }
        KeyView revoked = keys.revoke(args.get(1));
        out.println("revoked\t" + revoked.name() + "\t" + time(revoked.revokedAt()));
        return 0;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static String time(Instant at) {
        return at == null ? "-" : at.toString();
    }

    private static int usage(PrintStream err, String problem) {
        err.println("keys: " + problem);
        err.print(USAGE);
        return 2;
    }
}
