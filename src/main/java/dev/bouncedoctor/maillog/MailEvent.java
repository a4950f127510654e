package dev.bouncedoctor.maillog;

import dev.bouncedoctor.model.DeliveryFact;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One row of the mail log: the event as received, and its diagnosis (or why there is none yet). */
@Entity
@Table(name = "mail_event")
public class MailEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "event_id", length = 200, unique = true)
    public String eventId;
    @Column(nullable = false, length = 320)
    public String recipient;
    @Column(length = 320)
    public String sender;
    @Column(length = 100)
    public String provider;
    /** As the mail log shows it; the rules may log a send to a listed address as dropped. */
    @Column(length = 40)
    public String status;
    @Column(name = "reported_status", length = 40)
    public String reportedStatus;
    @Column(name = "smtp_code")
    public Integer smtpCode;
    @Column(name = "enhanced_code", length = 20)
    public String enhancedCode;
    @Column(length = 20000)
    public String message;
    @Column(name = "error_code")
    public Integer errorCode;
    @Column(length = 100)
    public String symptom;
    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
    @Column(nullable = false)
    public boolean diagnosed;
    @Column(name = "diagnosis_error", length = 2000)
    public String diagnosisError;
    @Column(length = 40)
    public String reason;
    @Column(length = 40)
    public String category;
    @Column(length = 20)
    public String retry;
    public Boolean suppress;
    public Boolean flagged;
    /**
     * The rules' decision (the symptom rules' verdict) whether this event was a failure: true, false
     * (a delivery), or null (neither, e.g. a deferral or a send not made). "Undelivered" in the mail log.
     */
    public Boolean failure;
    @Column(name = "rule_set_version", length = 40)
    public String ruleSetVersion;
    /** The diagnoses and rules fired, as JSON. */
    @Column(length = 200000)
    public String diagnosis;

    /** The fact as it was reported (the reported status, not the logged one), from the stored columns. */
    DeliveryFact reportedFact() {
        return new DeliveryFact(recipient, sender, provider, reportedStatus, smtpCode, enhancedCode, message, errorCode, occurredAt);
    }
}
