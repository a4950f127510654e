package dev.bouncedoctor.webhooks;

import dev.bouncedoctor.maillog.Transactions;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tokens of signed calls seen within the time a signature stays fresh, in the database so that every replica knows
 * them: a call captured and replayed, to this replica or another, is refused. A token is kept for twice max-age, since
 * a timestamp up to max-age ahead of the clock is accepted and stays fresh until max-age after it.
 */
@ApplicationScoped
public class WebhookTokens {

    private final EntityManager db;
    private final Duration keep;

    public WebhookTokens(EntityManager db, @ConfigProperty(name = "webhooks.max-age", defaultValue = "5m") Duration maxAge) {
        this.db = db;
        this.keep = maxAge.multipliedBy(2);
    }

    /** True the first time a provider's token is presented; false when it was seen within the time kept (a replay). */
    public boolean firstUse(String provider, String token) {
        String key = provider + ":" + token;
        if (key.length() > 300) {
            return false;
        }
        try {
            return Transactions.inNewOrUnavailable(() -> db.createNativeQuery("insert into webhook_token (token, seen_at) values (?1, ?2)")
                    .setParameter(1, key).setParameter(2, Instant.now().truncatedTo(ChronoUnit.MICROS)).executeUpdate() == 1);
        } catch (RuntimeException e) {
            if (Transactions.isConflict(e)) {
                return false;
            }
            throw e;
        }
    }

    @Scheduled(every = "${webhooks.tokens.cleanup-interval:1m}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOld() {
        Instant before = Instant.now().minus(keep);
        Transactions.inNewOrUnavailable(() -> db.createNativeQuery("delete from webhook_token where seen_at < ?1").setParameter(1, before).executeUpdate());
    }
}
