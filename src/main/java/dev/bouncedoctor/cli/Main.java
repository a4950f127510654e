package dev.bouncedoctor.cli;

import dev.bouncedoctor.engine.CompiledRuleCache;
import dev.bouncedoctor.engine.RulePreload;
import io.quarkus.runtime.Quarkus;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The jar's entry point: a command ({@code diagnose}, {@code classify}, {@code check-rules}) runs
 * before Quarkus starts, so it opens no port and touches no database; no command serves the API.
 * {@code keys} and {@code check-addresses} need the database and run inside Quarkus in command mode (see
 * {@link KeysCommand}, {@link CheckAddressesCommand}).
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        if (args.length > 0 && KeysCommand.NAME.equals(args[0])) {
            KeysCommand.launch(args);
            return;
        }
        if (args.length > 0 && CheckAddressesCommand.NAME.equals(args[0])) {
            CheckAddressesCommand.launch(args);
            return;
        }
        if (args.length > 0 && Commands.isCommand(args[0])) {
            quietLogging();
            String rules = System.getenv().getOrDefault("RULES_DIR", "rules");
            CompiledRuleCache cache = CompiledRuleCache.configured(System.getenv("RULES_CACHE_DIR")).orElse(null);
            int code = new Commands(System.out, System.err, rules, cache).run(args);
            System.out.flush();
            System.exit(code);
        }
        if (args.length == 0) {
            // The service: its rules are read back from the compiled-rules cache while Quarkus starts (RuleRegistry takes
            // them only if they are the rules it is configured with; otherwise it loads its own).
            RulePreload.start(java.nio.file.Path.of(System.getenv().getOrDefault("RULES_DIR", "rules")), System.getenv("RULES_CACHE_DIR"));
        }
        Quarkus.run(args);
    }

    /**
     * Without Quarkus started nobody configures logging, and the log manager then enables every level:
     * Drools would format a debug line for each fact. Commands log warnings and worse, on standard error.
     */
    private static void quietLogging() {
        org.jboss.logmanager.Logger root = org.jboss.logmanager.LogContext.getLogContext().getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler stderr = new ConsoleHandler(ConsoleHandler.Target.SYSTEM_ERR, new PatternFormatter("%d{HH:mm:ss} %-5p [%c{1.}] %s%e%n"));
        stderr.setLevel(Level.WARNING);
        root.addHandler(stderr);
        java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
    }
}
