package dev.bouncedoctor.maillog;

import dev.bouncedoctor.maillog.MailLogExceptions.NotFound;
import jakarta.enterprise.context.ApplicationScoped;

/** GET /v1/recipients/{address}: a recipient's state and its latest events. */
@ApplicationScoped
public class RecipientDetailService {

    static final int RECENT_EVENTS = 20;

    private final RecipientRepository recipients;
    private final MailEventRepository events;

    public RecipientDetailService(RecipientRepository recipients, MailEventRepository events) {
        this.recipients = recipients;
        this.events = events;
    }

    public RecipientDetail recipient(String rawAddress) {
        String address = QueryParameters.address(rawAddress, "address");
        return Transactions.inNew(() -> {
            RecipientRecord r = recipients.findById(address);
            if (r == null) {
                throw new NotFound("the mail log has no event for " + address);
            }
            return new RecipientDetail(RecipientView.of(r), events.latestOf(address, RECENT_EVENTS).stream().map(EventView::of).toList());
        });
    }
}
