package dev.bouncedoctor.maillog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A recipient's state: the invalid-email flag, the run of failures, and its place on the bounce list. */
@Entity
@Table(name = "recipient_state")
public class RecipientRecord {

    @Id
    @Column(length = 320)
    public String address;
    @Column(name = "flagged_invalid", nullable = false)
    public boolean flaggedInvalid;
    @Column(nullable = false)
    public boolean suppressed;
    @Column(name = "suppressed_reason", length = 40)
    public String suppressedReason;
    @Column(name = "suppressed_since")
    public Instant suppressedSince;
    @Column(name = "consecutive_failures", nullable = false)
    public int consecutiveFailures;
    @Column(name = "last_event_id")
    public Long lastEventId;
    @Column(name = "last_event_at")
    public Instant lastEventAt;
    @Column(name = "last_status", length = 40)
    public String lastStatus;
    @Column(name = "last_reason", length = 40)
    public String lastReason;
    @Column(name = "last_category", length = 40)
    public String lastCategory;
    @Column(name = "removed_at")
    public Instant removedAt;
    @Column(name = "removed_by", length = 200)
    public String removedBy;
    /** When the newest event that changed this state happened: an older event arriving later changes nothing. */
    @Column(name = "decided_at")
    public Instant decidedAt;
    /** The provider whose own suppression put the address on the list; null when this service listed it. */
    @Column(name = "suppressed_by", length = 100)
    public String suppressedBy;
}
