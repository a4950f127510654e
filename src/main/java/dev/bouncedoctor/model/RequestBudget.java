package dev.bouncedoctor.model;

import java.time.Duration;

/**
 * How long the work for one request may go on, and whether anyone still waits for it. The HTTP layer opens one per
 * request on the thread that does the work; the loops that can run long (the rules between two firings, a batch
 * between two items, the mail parser between two parts) call {@link #check()}. Work past its time, or whose client has
 * gone, or that the shutting-down service no longer waits for, then ends with a {@link WorkAbandonedException} at the
 * next check instead of holding a worker thread, a database connection and the shutdown.
 */
public final class RequestBudget {

    private static final ThreadLocal<RequestBudget> CURRENT = new ThreadLocal<>();

    private final Duration allowed;
    private final long deadline;
    private volatile WorkAbandonedException.Why abandoned;

    private RequestBudget(Duration allowed) {
        this.allowed = allowed;
        this.deadline = System.nanoTime() + allowed.toNanos();
    }

    /** A budget of {@code allowed} from now, current on this thread until the returned scope is closed. */
    public static Scope open(Duration allowed) {
        RequestBudget budget = new RequestBudget(allowed);
        RequestBudget outer = CURRENT.get();
        CURRENT.set(budget);
        return new Scope(budget, outer);
    }

    /** Stops the work at its next check; called from other threads (the connection's, the shutdown's). */
    public void abandon(WorkAbandonedException.Why why) {
        if (abandoned == null) {
            abandoned = why;
        }
    }

    public Duration allowed() {
        return allowed;
    }

    /** Ends the current thread's work when its request is over its time or abandoned; free when no request is open. */
    public static void check() {
        RequestBudget budget = CURRENT.get();
        if (budget != null) {
            budget.checkThis();
        }
    }

    private void checkThis() {
        WorkAbandonedException.Why why = abandoned;
        if (why == null && System.nanoTime() - deadline > 0) {
            why = WorkAbandonedException.Why.TOO_SLOW;
            abandoned = why;
        }
        if (why != null) {
            throw new WorkAbandonedException(why, allowed);
        }
    }

    /** The budget's lifetime on its thread: closing it restores whatever was current before. */
    public static final class Scope implements AutoCloseable {
        private final RequestBudget budget;
        private final RequestBudget outer;

        private Scope(RequestBudget budget, RequestBudget outer) {
            this.budget = budget;
            this.outer = outer;
        }

        public RequestBudget budget() {
            return budget;
        }

        @Override
        public void close() {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }
}
