package dev.bouncedoctor.maillog;

import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * The session of whichever database DB_KIND switched on. Both persistence units are built into the
 * jar (a datasource's kind is fixed at build time) with the same entities; only one is active.
 */
@ApplicationScoped
public class MailLogDatabase {

    private final String kind;
    private final Instance<Session> session;

    public MailLogDatabase(@ConfigProperty(name = "DB_KIND", defaultValue = "h2") String kind,
                           @PersistenceUnit("h2") Instance<Session> h2,
                           @PersistenceUnit("postgresql") Instance<Session> postgresql) {
        this.kind = kind;
        this.session = switch (kind) {
            case "h2" -> h2;
            case "postgresql" -> postgresql;
            default -> throw new IllegalStateException("DB_KIND is '" + kind + "'; use h2 (the default) or postgresql");
        };
    }

    public Session session() {
        return session.get();
    }

    public String kind() {
        return kind;
    }
}
