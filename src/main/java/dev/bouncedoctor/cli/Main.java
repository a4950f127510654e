package dev.bouncedoctor.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The jar's entry point: a command ({@code diagnose}, {@code classify}, {@code check-rules}) runs
 * before Quarkus starts, so it opens no port and touches no database; no command serves the API.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        if (args.length > 0 && Commands.isCommand(args[0])) {
            String rules = System.getenv().getOrDefault("RULES_DIR", "rules");
            int code = new Commands(System.out, System.err, rules).run(args);
            System.out.flush();
            System.exit(code);
        }
        Quarkus.run(args);
    }
}
