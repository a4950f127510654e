package dev.bouncedoctor.maillog;

import dev.bouncedoctor.maillog.MailLogExceptions.NotFound;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * DELETE /v1/suppressions/{address}, "mark email address as valid": takes the address off the bounce
 * list and records who did it (the authenticated caller, named by the resource) and when.
 */
@ApplicationScoped
public class SuppressionRemovalService {

    private final RecipientRepository recipients;
    private final SuppressionRemovalRepository removals;

    public SuppressionRemovalService(RecipientRepository recipients, SuppressionRemovalRepository removals) {
        this.recipients = recipients;
        this.removals = removals;
    }

    public RecipientView remove(String rawAddress, String operator) {
        List<FieldError> errors = new ArrayList<>();
        String address = QueryParameters.requiredAddress(rawAddress, "address", errors);
        if (operator == null || operator.isBlank() || operator.length() > 200) {
            errors.add(new FieldError("operator", "the caller's name (the API key's name or the token's user) must be 1 to 200 characters to be recorded"));
        }
        QueryParameters.throwIfAny(errors);
        return Transactions.inNewRetryingConflicts(() -> {
            RecipientRecord r = recipients.lockedForUpdate(address);
            if (r == null || !r.suppressed) {
                throw new NotFound(address + " is not on the bounce list");
            }
            SuppressionRemoval audit = new SuppressionRemoval();
            audit.address = address;
            audit.operator = operator.trim();
            audit.removedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            audit.listedReason = r.suppressedReason;
            audit.listedSince = r.suppressedSince;
            removals.persist(audit);
            r.suppressed = false;
            r.suppressedReason = null;
            r.suppressedSince = null;
            r.suppressedBy = null;
            r.removedAt = audit.removedAt;
            r.removedBy = audit.operator;
            return RecipientView.of(r);
        });
    }

    /** An address's removals from the bounce list, newest first (the audit the console shows beside its state). */
    public List<RemovalView> history(String rawAddress) {
        String address = QueryParameters.address(rawAddress, "address");
        return Transactions.inNew(() -> removals.forAddress(address).stream()
                .map(r -> new RemovalView(r.address, r.operator, r.removedAt, r.listedReason, r.listedSince)).toList());
    }
}
