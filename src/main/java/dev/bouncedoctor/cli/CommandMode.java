package dev.bouncedoctor.cli;

/**
 * What the jar's commands that need the service's beans (keys, check-addresses) share: Quarkus started in command
 * mode, without the HTTP port, the scheduled jobs, the first-start key or the identity provider, and exiting as soon as
 * the command is done, with only the command's answer on standard output.
 */
final class CommandMode {

    private CommandMode() {
    }

    /** Set as system properties before the start, so that they win over application.properties. */
    static void configure() {
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.scheduler.enabled", "false");
        System.setProperty("security.first-start.enabled", "false");
        // No command needs an identity provider; an unreachable one must not stop it.
        System.setProperty("quarkus.oidc.tenant-enabled", "false");
        // Nothing is served, so there is nothing to drain.
        System.setProperty("quarkus.shutdown.delay-enabled", "false");
        // Standard output carries the command's answer only; standard error what went wrong.
        System.setProperty("quarkus.log.console.stderr", "true");
        System.setProperty("quarkus.log.level", "ERROR");
    }

    /** The innermost cause of a failed start: what to tell the user, once. */
    static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
