package dev.bouncedoctor.diagnosis;

/** The rule set itself misbehaved for a fact (threw, looped, or gave no diagnosis): a fault to fix in rules/, not in the request. */
public class RuleSetDefectException extends RuntimeException {

    public RuleSetDefectException(String message) {
        super(message);
    }

    public RuleSetDefectException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The rules kept firing for one fact until the engine's limit stopped them: each further fact would cost as much. */
    public static class Looping extends RuleSetDefectException {
        public Looping(String message) {
            super(message);
        }
    }
}
