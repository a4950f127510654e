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

    /** An eventId already logged for an event with other content: the client reuses ids, which would lose one event. */
    public static class EventIdReused extends RuntimeException {
        private final java.util.List<String> differing;

        public EventIdReused(String eventId, long storedId, java.util.List<String> differing) {
            super("the eventId '" + eventId + "' was logged as event " + storedId + " with a different " + String.join(", ", differing)
                    + "; a retried webhook carries the same content, another event needs its own eventId");
            this.differing = java.util.List.copyOf(differing);
        }

        public java.util.List<String> differing() {
            return differing;
        }

        /** The same conflict for the item at {@code index} of a batch: its fields named as {@code [3].message}. */
        public EventIdReused at(int index) {
            EventIdReused e = new EventIdReused(getMessage(), differing.stream().map(f -> "[" + index + "]." + f).toList());
            return e;
        }

        private EventIdReused(String message, java.util.List<String> differing) {
            super(message);
            this.differing = differing;
        }
    }

    public static class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }
}
