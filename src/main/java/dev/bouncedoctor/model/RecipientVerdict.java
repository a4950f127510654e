package dev.bouncedoctor.model;

/**
 * What the symptom rules decide for the recipient's state after one event; the mail log applies it
 * as it stands. Every session starts with an empty one (nothing changes); rules refine it with
 * {@code modify($v) { setFlagged(true) }}. A null means "leave as it is".
 */
public final class RecipientVerdict {

    private Boolean flagged;
    private Boolean failure;
    private boolean suppress;
    private String suppressReason;
    private String logStatus;
    private String suppressedBy;

    /** true: show the invalid-email flag; false: clear it. */
    public Boolean getFlagged() {
        return flagged;
    }

    public void setFlagged(Boolean flagged) {
        this.flagged = flagged;
    }

    /** true: one more consecutive failure; false: the run of failures ends. */
    public Boolean getFailure() {
        return failure;
    }

    public void setFailure(Boolean failure) {
        this.failure = failure;
    }

    /** Put the address on the bounce list (it stays there until an operator takes it off). */
    public boolean isSuppress() {
        return suppress;
    }

    public void setSuppress(boolean suppress) {
        this.suppress = suppress;
    }

    public String getSuppressReason() {
        return suppressReason;
    }

    public void setSuppressReason(String suppressReason) {
        this.suppressReason = suppressReason;
    }

    /** The status the mail log records instead of the reported one, e.g. {@code dropped}. */
    public String getLogStatus() {
        return logStatus;
    }

    public void setLogStatus(String logStatus) {
        this.logStatus = logStatus;
    }

    /** Who listed the address when it was not this service: the provider whose own suppression the event reports. */
    public String getSuppressedBy() {
        return suppressedBy;
    }

    public void setSuppressedBy(String suppressedBy) {
        this.suppressedBy = suppressedBy;
    }
}
