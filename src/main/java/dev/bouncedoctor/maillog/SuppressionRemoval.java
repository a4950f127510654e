package dev.bouncedoctor.maillog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Audit of "mark email address as valid": who took which address off the bounce list, when, and why it was on it. */
@Entity
@Table(name = "suppression_removal")
public class SuppressionRemoval {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(nullable = false, length = 320)
    public String address;
    @Column(nullable = false, length = 200)
    public String operator;
    @Column(name = "removed_at", nullable = false)
    public Instant removedAt;
    @Column(name = "listed_reason", length = 40)
    public String listedReason;
    @Column(name = "listed_since")
    public Instant listedSince;
}
