package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.DeliveryFact;

/** The rule set itself misbehaved for a fact (threw, looped, or gave no diagnosis): a fault to fix in rules/, not in the request. */
public class RuleSetDefectException extends RuntimeException {

    /* The fact the rules failed on, so that a log line can leave out what a rule copied from it into its message. */
    private transient DeliveryFact fact;

    public RuleSetDefectException(String message) {
        this(message, null, null);
    }

    public RuleSetDefectException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public RuleSetDefectException(String message, Throwable cause, DeliveryFact fact) {
        super(message, cause);
        this.fact = fact;
    }

    /** The fact the rules failed on, when known. */
    public DeliveryFact fact() {
        return fact;
    }

    /**
     * This defect, known to be about {@code fact}: the same exception, so that its kind ({@link Looping}, which stops a
     * scenario run at its first case) survives; a copy as a plain defect made the scenario runner run every case into the limit.
     */
    public RuleSetDefectException about(DeliveryFact fact) {
        if (this.fact == null && fact != null) {
            this.fact = fact;
        }
        return this;
    }

    /** The rules kept firing for one fact until the engine's limit stopped them: each further fact would cost as much. */
    public static class Looping extends RuleSetDefectException {
        public Looping(String message) {
            super(message);
        }
    }

    /** The rules ran past the time one fact may take and were stopped between two firings: as costly for each further fact. */
    public static class TooSlow extends Looping {
        public TooSlow(String message) {
            super(message);
        }
    }
}
