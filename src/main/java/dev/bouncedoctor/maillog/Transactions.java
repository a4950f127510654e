package dev.bouncedoctor.maillog;

import dev.bouncedoctor.maillog.MailLogExceptions.StorageUnavailable;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.concurrent.Callable;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;

/**
 * Work against the database in a transaction of its own, committed before the caller answers. An
 * unreachable database becomes {@link StorageUnavailable} (a 503 to retry, nothing half-stored); a race
 * lost to a concurrent request for the same row becomes {@link Conflict}, for the caller to retry.
 */
public final class Transactions {

    private static final int ATTEMPTS_ON_CONFLICT = 5;

    private Transactions() {
    }

    /** A concurrent request won a race for the same row (an eventId, a new recipient); the work may be retried. */
    static final class Conflict extends RuntimeException {
        Conflict(Throwable cause) {
            super(cause);
        }
    }

    /** Runs work in a new transaction; an outage is StorageUnavailable, a lost race a Conflict. */
    static <T> T inNew(Callable<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work);
        } catch (RuntimeException e) {
            if (isConflict(e)) {
                throw new Conflict(e);
            }
            if (isOutage(e)) {
                dropBrokenConnections();
                throw new StorageUnavailable(e);
            }
            throw e;
        }
    }

    /**
     * After an outage the pool still holds connections to the server that went away; each would fail one more request
     * after the database is back (a client retrying as told could meet a 503 once per pooled connection). Dropping the
     * idle ones that no longer answer makes the first retry after the restart work.
     */
    private static void dropBrokenConnections() {
        try {
            Arc.container().instance(AgroalDataSource.class).get().flush(AgroalDataSource.FlushMode.INVALID);
        } catch (RuntimeException e) {
            // Best effort: the pool also drops each broken connection when it fails.
        }
    }

    /**
     * Runs work in a new transaction, again when it lost a race: two requests may race for the same
     * eventId or a new recipient's row, and the loser then sees the winner's row. A race lost five
     * times in a row is answered as a busy database.
     */
    static <T> T inNewRetryingConflicts(Callable<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inNew(work);
            } catch (Conflict e) {
                if (attempt >= ATTEMPTS_ON_CONFLICT) {
                    throw new StorageUnavailable(e);
                }
            }
        }
    }

    /** Runs work in a new transaction; an outage is StorageUnavailable, everything else as thrown. */
    public static <T> T inNewOrUnavailable(Callable<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work);
        } catch (RuntimeException e) {
            if (isOutage(e)) {
                dropBrokenConnections();
                throw new StorageUnavailable(e);
            }
            throw e;
        }
    }

    /** A unique or lock conflict anywhere in the cause chain. */
    public static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException || t instanceof LockAcquisitionException
                    || t instanceof jakarta.persistence.EntityExistsException) {
                return true;
            }
        }
        return false;
    }

    /** The database cannot be reached (connection refused or lost, server shutting down, out of resources). */
    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailable) {
                return false;
            }
            if (t instanceof JDBCConnectionException || t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            // The commit itself failed: the transaction manager reports the resource's failure (the connection lost while
            // committing, when the database stops) as a rollback, without the SQL cause. Whether the database kept the
            // commit is not known, so the answer is "retry": a retry of an event with an eventId finds it if it was kept.
            // A conflict found while committing (a unique key) is told apart before this (isConflict is asked first).
            if (t instanceof jakarta.transaction.RollbackException || t instanceof jakarta.transaction.HeuristicMixedException
                    || t instanceof jakarta.transaction.HeuristicRollbackException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P") || sql.getSQLState().startsWith("53"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
