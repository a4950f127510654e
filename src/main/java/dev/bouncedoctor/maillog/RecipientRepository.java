package dev.bouncedoctor.maillog;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Recipients' state, by address (the primary key), and the bounce list. */
@ApplicationScoped
public class RecipientRepository implements PanacheRepositoryBase<RecipientRecord, String> {

    /** The recipient's row, locked until the transaction ends: one event at a time changes a recipient. */
    public RecipientRecord lockedForUpdate(String address) {
        return findById(address, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The bounce list, most recently listed first; all reasons when {@code reason} is null. */
    public PanacheQuery<RecipientRecord> suppressed(String reason) {
        Sort order = Sort.descending("suppressedSince").and("address");
        return reason == null ? find("suppressed = true", order) : find("suppressed = true and suppressedReason = ?1", order, reason);
    }
}
