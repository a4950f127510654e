package dev.bouncedoctor.maillog;

/** Failures of the mail log that the API turns into problems. */
public final class MailLogExceptions {

    private MailLogExceptions() {
    }

    /** The database cannot be reached: the client should retry; nothing was stored. */
    public static class StorageUnavailable extends RuntimeException {
        public StorageUnavailable(Throwable cause) {
            super("the mail log's database cannot be reached right now; nothing was stored, send the request again later", cause);
        }
    }

    public static class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }
}
