package dev.bouncedoctor.maillog;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
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
        return suppressed(reason, null);
    }

    /** The bounce list, optionally only one reason's and only addresses containing a text (lower case, as addresses are stored). */
    public PanacheQuery<RecipientRecord> suppressed(String reason, String addressContains) {
        Sort order = Sort.descending("suppressedSince").and("address");
        StringBuilder where = new StringBuilder("suppressed = true");
        Parameters parameters = new Parameters();
        if (reason != null) {
            where.append(" and suppressedReason = :reason");
            parameters.and("reason", reason);
        }
        if (addressContains != null) {
            where.append(" and address like :address escape '!'");
            parameters.and("address", "%" + addressContains.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        return find(where.toString(), order, parameters);
    }
}
