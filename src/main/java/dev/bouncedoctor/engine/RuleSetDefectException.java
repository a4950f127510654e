package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.DeliveryFact;

/** The rule set itself misbehaved for a fact (threw, looped, or gave no diagnosis): a fault to fix in rules/, not in the request. */
public class RuleSetDefectException extends RuntimeException {

    /* The fact the rules failed on, so that a log line can leave out what a rule copied from it into its message. */
    private final transient DeliveryFact fact;

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

    /** This defect, known to be about {@code fact}. */
    public RuleSetDefectException about(DeliveryFact fact) {
        return this.fact != null || fact == null ? this : new RuleSetDefectException(getMessage(), getCause(), fact);
    }

    /** The rules kept firing for one fact until the engine's limit stopped them: each further fact would cost as much. */
    public static class Looping extends RuleSetDefectException {
        public Looping(String message) {
            super(message);
        }
    }

    /** The rules ran past the time one fact may take and were stopped between two firings. */
    public static class TooSlow extends RuleSetDefectException {
        public TooSlow(String message) {
            super(message);
        }
    }
}
