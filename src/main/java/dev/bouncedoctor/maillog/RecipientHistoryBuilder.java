package dev.bouncedoctor.maillog;

import dev.bouncedoctor.model.Attempt;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.RecipientHistory;
import dev.bouncedoctor.model.RecipientState;
import dev.bouncedoctor.model.ReportedSymptom;
import dev.bouncedoctor.model.SenderFlag;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the symptom rules reason over for one event: the recipient's state and earlier attempts, and
 * the sender's other flagged recipients. It loads; the rules decide what is many or recent.
 */
@ApplicationScoped
public class RecipientHistoryBuilder {

    private final MailEventRepository events;
    private final int attemptsLimit;
    private final Duration senderWindow;
    private final int senderFlagsLimit;
    private final int senderFlagEventsLimit;

    public RecipientHistoryBuilder(MailEventRepository events,
                                   @ConfigProperty(name = "maillog.history.attempts", defaultValue = "50") int attemptsLimit,
                                   @ConfigProperty(name = "maillog.history.sender-window", defaultValue = "P7D") Duration senderWindow,
                                   @ConfigProperty(name = "maillog.history.sender-flags", defaultValue = "100") int senderFlagsLimit,
                                   @ConfigProperty(name = "maillog.history.sender-flag-events", defaultValue = "2000") int senderFlagEventsLimit) {
        this.events = events;
        this.attemptsLimit = attemptsLimit;
        this.senderWindow = senderWindow;
        this.senderFlagsLimit = senderFlagsLimit;
        this.senderFlagEventsLimit = senderFlagEventsLimit;
    }

    /**
     * The history of {@code fact}'s recipient with {@code state} (null: never seen), without the event
     * {@code excludeEvent} itself (null: not stored yet); {@code fact.occurredAt()} must be set.
     */
    public RecipientHistory of(DeliveryFact fact, RecipientRecord state, String symptom, Long excludeEvent) {
        RecipientState recipient = state == null ? RecipientState.fresh(fact.recipient())
                : new RecipientState(state.address, state.flaggedInvalid, state.suppressed, state.suppressedReason, state.suppressedSince,
                        state.consecutiveFailures, state.removedAt, state.removedBy);
        List<MailEvent> earlier = events.earlierAttempts(fact.recipient(), excludeEvent, attemptsLimit);
        List<Attempt> attempts = new ArrayList<>(earlier.size());
        for (int i = 0; i < earlier.size(); i++) {
            MailEvent e = earlier.get(i);
            attempts.add(new Attempt(i, e.occurredAt, e.status, e.reason, e.category, Boolean.TRUE.equals(e.failure)));
        }
        List<SenderFlag> senderFlags = fact.sender() == null ? List.of()
                : events.flaggedRecipientsOf(fact.sender(), fact.recipient(), fact.occurredAt().minus(senderWindow), fact.occurredAt(), senderFlagsLimit,
                        senderFlagEventsLimit);
        return new RecipientHistory(recipient, attempts, senderFlags, symptom == null ? null : new ReportedSymptom(symptom));
    }
}
