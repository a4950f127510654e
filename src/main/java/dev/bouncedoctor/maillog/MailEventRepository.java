package dev.bouncedoctor.maillog;

import dev.bouncedoctor.model.SenderFlag;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The mail log's queries: every read of {@link MailEvent} rows goes through here. */
@ApplicationScoped
public class MailEventRepository implements PanacheRepository<MailEvent> {

    /** The mail log's order: newest first, the later-stored first among events of the same instant. */
    static final Sort NEWEST_FIRST = Sort.descending("occurredAt", "id");

    public Optional<MailEvent> byEventId(String eventId) {
        return find("eventId", eventId).firstResultOptional();
    }

    /**
     * The newest-first order, for one recipient: led by the recipient so that H2 reads it from the index
     * mail_event_recipient_newest and stops after the page (V5__history_indexes.sql).
     */
    private static final Sort RECIPIENT_NEWEST_FIRST = Sort.by("recipient").and("occurredAt", Sort.Direction.Descending).and("id", Sort.Direction.Descending);

    /** The recipient's diagnosed events, newest first, without the one being diagnosed. */
    public List<MailEvent> earlierAttempts(String recipient, Long excludeEvent, int limit) {
        return find("recipient = ?1 and diagnosed = true and id <> ?2", RECIPIENT_NEWEST_FIRST, recipient, excludeEvent == null ? -1L : excludeEvent)
                .page(0, limit).list();
    }

    /**
     * The sender's recipients that are flagged now, each with its latest flagging event between
     * {@code since} and {@code at}, newest first; {@code except} is left out. At most {@code recipients}
     * recipients, and at most {@code maxEvents} events are read to find them.
     * <p>
     * Read page by page, newest first, and stopped as soon as enough distinct recipients are found: a sender with
     * thousands of flagged events in the window (a bounce storm, a grown log) costs a page, not the whole window, both
     * here and in the rules, which get one fact per recipient. The rules only ask whether "many" distinct recipients
     * are flagged (rules/symptoms/00-thresholds.drl), so a cap well above their threshold changes no decision.
     */
    public List<SenderFlag> flaggedRecipientsOf(String sender, String except, Instant since, Instant at, int recipients, int maxEvents) {
        Map<String, SenderFlag> latest = new LinkedHashMap<>();
        int page = Math.max(1, Math.min(recipients, maxEvents));
        for (int offset = 0; offset < maxEvents && latest.size() < recipients; offset += page) {
            // The order ends with the id so that pages neither overlap nor skip events of the same instant; it starts with
            // the columns the condition fixes so that H2 reads it from mail_event_sender_flagged and stops after the page.
            List<SenderFlag> rows = getEntityManager().createQuery(
                            "select new dev.bouncedoctor.model.SenderFlag(e.recipient, e.reason, e.occurredAt) from MailEvent e, RecipientRecord r "
                                    + "where r.address = e.recipient and r.flaggedInvalid = true and e.sender = :s and e.flagged = true "
                                    + "and e.occurredAt >= :since and e.occurredAt <= :at and e.recipient <> :me "
                                    + "order by e.sender, e.flagged, e.occurredAt desc, e.id desc",
                            SenderFlag.class)
                    .setParameter("s", sender).setParameter("since", since).setParameter("at", at)
                    .setParameter("me", except == null ? "" : except)
                    .setFirstResult(offset).setMaxResults(Math.min(page, maxEvents - offset)).getResultList();
            for (SenderFlag row : rows) {
                if (latest.size() < recipients) {
                    latest.putIfAbsent(row.recipient(), row);
                }
            }
            if (rows.size() < page) {
                break;
            }
        }
        return List.copyOf(latest.values());
    }

    /** Ids of the events the rules could not diagnose yet, oldest first. */
    public List<Long> undiagnosedIds() {
        return getEntityManager().createQuery("select id from MailEvent where diagnosed = false order by id", Long.class).getResultList();
    }

    /**
     * The mail log with the filter's conditions, newest first. {@code undelivered} keeps the events the
     * rules decided were a failure ({@link MailEvent#failure}, stored from their verdict) and those not
     * diagnosed yet: what a failure is, is defined by the rules alone (rules/symptoms).
     */
    public PanacheQuery<MailEvent> log(String recipient, String sender, String status, boolean undelivered, Instant from, Instant to) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (recipient != null) {
            where.add("recipient = :recipient");
            params.and("recipient", recipient);
        }
        if (sender != null) {
            where.add("sender = :sender");
            params.and("sender", sender);
        }
        if (status != null) {
            where.add("status = :status");
            params.and("status", status);
        }
        if (undelivered) {
            where.add("(failure = true or diagnosed = false)");
        }
        if (from != null) {
            where.add("occurredAt >= :from");
            params.and("from", from);
        }
        if (to != null) {
            where.add("occurredAt <= :to");
            params.and("to", to);
        }
        return where.isEmpty() ? findAll(NEWEST_FIRST) : find(String.join(" and ", where), NEWEST_FIRST, params);
    }

    /** The recipient's latest events, newest first. */
    public List<MailEvent> latestOf(String recipient, int limit) {
        return find("recipient", NEWEST_FIRST, recipient).page(0, limit).list();
    }

    /** The sender's latest diagnosed event that flagged its recipient, else its latest diagnosed event. */
    public Optional<MailEvent> latestFailureOrLatestOf(String sender) {
        return find("from MailEvent where sender = ?1 and diagnosed = true "
                + "order by (case when flagged = true then 0 else 1 end), occurredAt desc, id desc", sender).firstResultOptional();
    }
}
