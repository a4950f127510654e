package dev.bouncedoctor.maillog;

import dev.bouncedoctor.model.InvalidFactException.FieldError;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** GET /v1/suppressions: the bounce list, most recently listed first, by reason, paged. */
@ApplicationScoped
public class SuppressionListService {

    private final RecipientRepository recipients;

    public SuppressionListService(RecipientRepository recipients) {
        this.recipients = recipients;
    }

    public PageView<RecipientView> suppressions(String reason, String pageParam, String sizeParam) {
        return suppressions(reason, null, pageParam, sizeParam);
    }

    /** {@code address}: only addresses containing this text (case does not matter), for a search box. */
    public PageView<RecipientView> suppressions(String reason, String address, String pageParam, String sizeParam) {
        List<FieldError> errors = new ArrayList<>();
        QueryParameters.Paging paging = QueryParameters.paging(pageParam, sizeParam, errors);
        int page = paging.page();
        int size = paging.size();
        QueryParameters.throwIfAny(errors);
        String byReason = QueryParameters.text(reason);
        String byAddress = QueryParameters.text(address) == null ? null : QueryParameters.text(address).toLowerCase(java.util.Locale.ROOT);
        return Transactions.inNew(() -> {
            PanacheQuery<RecipientRecord> query = recipients.suppressed(byReason, byAddress);
            long total = query.count();
            List<RecipientView> items = query.page(page, size).list().stream().map(RecipientView::of).toList();
            return new PageView<>(items, page, size, total);
        });
    }
}
