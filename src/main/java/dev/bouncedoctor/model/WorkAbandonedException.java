package dev.bouncedoctor.model;

import java.time.Duration;

/** The work for a request was stopped before it ended ({@link RequestBudget}); whatever it had not committed is undone. */
public class WorkAbandonedException extends RuntimeException {

    public enum Why {
        /** The request ran past the time one request may take. */
        TOO_SLOW,
        /** The client closed the connection: nobody waits for the answer. */
        CLIENT_LEFT,
        /** The service is stopping and does not wait for this work any longer. */
        SHUTTING_DOWN
    }

    private final Why why;

    public WorkAbandonedException(Why why, Duration allowed) {
        super(switch (why) {
            case TOO_SLOW -> "the request took longer than " + allowed.toSeconds() + " s (REQUEST_MAX_SECONDS) and was stopped; nothing of it was stored; send fewer items per request";
            case CLIENT_LEFT -> "the client closed the connection; the work was stopped and nothing of it was stored";
            case SHUTTING_DOWN -> "the service is shutting down; nothing of this request was stored; send it again, another replica will answer";
        }, null, false, false);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
