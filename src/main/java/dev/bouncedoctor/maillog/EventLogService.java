package dev.bouncedoctor.maillog;

import dev.bouncedoctor.model.LowerCase;
import dev.bouncedoctor.maillog.MailLogExceptions.NotFound;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** GET /v1/events: the mail log, filtered and paged, and one event with its diagnosis. */
@ApplicationScoped
public class EventLogService {

    private final MailEventRepository events;
    private final DiagnosisJson json;

    public EventLogService(MailEventRepository events, DiagnosisJson json) {
        this.events = events;
        this.json = json;
    }

    /** The mail log, newest first, filtered and paged; names every parameter to fix. */
    public PageView<EventView> events(EventFilter f) {
        List<FieldError> errors = new ArrayList<>();
        String recipient = QueryParameters.address(f.recipient(), "recipient", errors);
        String sender = QueryParameters.address(f.sender(), "sender", errors);
        Instant from = QueryParameters.instant(f.from(), "from", errors);
        Instant to = QueryParameters.instant(f.to(), "to", errors);
        QueryParameters.Paging paging = QueryParameters.paging(f.page(), f.size(), errors);
        int page = paging.page();
        int size = paging.size();
        boolean undelivered = QueryParameters.flag(f.undelivered(), "undelivered", errors);
        if (from != null && to != null && from.isAfter(to)) {
            errors.add(new FieldError("from", "is after 'to'; give from <= to"));
        }
        QueryParameters.throwIfAny(errors);
        String status = QueryParameters.text(f.status()) == null ? null : LowerCase.of(f.status().trim());
        return Transactions.inNew(() -> {
            PanacheQuery<MailEvent> query = events.log(recipient, sender, status, undelivered, from, to);
            long total = query.count();
            List<EventView> items = query.page(page, size).list().stream().map(EventView::of).toList();
            return new PageView<>(items, page, size, total);
        });
    }

    /** An event of the log as it was reported, for re-diagnosis elsewhere (a rule preview). */
    public record LoggedFact(long id, dev.bouncedoctor.model.DeliveryFact fact) {
    }

    /** The newest {@code limit} events of the log, as reported. */
    public List<LoggedFact> latest(int limit) {
        return Transactions.inNew(() -> events.log(null, null, null, false, null, null).page(0, limit).list().stream()
                .map(e -> new LoggedFact(e.id, e.reportedFact())).toList());
    }

    /** One event with its stored diagnosis. */
    public EventDetail event(String rawId) {
        long id = QueryParameters.id(rawId);
        return Transactions.inNew(() -> {
            MailEvent e = events.findById(id);
            if (e == null) {
                throw new NotFound("there is no event " + id + " in the mail log");
            }
            return new EventDetail(EventView.of(e), json.read(e));
        });
    }
}
