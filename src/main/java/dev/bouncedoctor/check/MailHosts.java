package dev.bouncedoctor.check;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;
import io.vertx.core.dns.MxRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Looks up whether domains have a mail host (RFC 5321 5.1: the MX records, else the A/AAAA record as an implicit MX;
 * RFC 7505: a single MX of "." is a null MX, the domain takes no mail) with Vert.x's DNS client, at the resolver the
 * configuration names, with a time limit per query and a cache of answers. Off unless {@code addresses.dns.enabled}: the
 * embedded start makes no network calls.
 */
@ApplicationScoped
public class MailHosts {

    private static final Logger LOG = Logger.getLogger(MailHosts.class);

    private final boolean enabled;
    private final Duration timeout;
    private final DnsClient client;
    private final Cache<String, MailHost> cache;

    public MailHosts(Vertx vertx,
                     @ConfigProperty(name = "addresses.dns.enabled", defaultValue = "false") boolean enabled,
                     @ConfigProperty(name = "addresses.dns.server") Optional<String> server,
                     @ConfigProperty(name = "addresses.dns.port", defaultValue = "53") int port,
                     @ConfigProperty(name = "addresses.dns.timeout", defaultValue = "2s") Duration timeout,
                     @ConfigProperty(name = "addresses.dns.cache-for", defaultValue = "10m") Duration cacheFor) {
        this.enabled = enabled;
        this.timeout = timeout;
        String host = server.filter(s -> !s.isBlank()).orElseGet(MailHosts::systemResolver);
        this.client = enabled ? vertx.createDnsClient(new DnsClientOptions().setHost(host).setPort(port)
                .setQueryTimeout(timeout.toMillis()).setRecursionDesired(true)) : null;
        this.cache = Caffeine.newBuilder().expireAfterWrite(cacheFor).maximumSize(100_000).build();
        if (enabled) {
            LOG.infof("event=dns.configured server=%s port=%d timeout=%s", host, port, timeout);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** Each domain's mail host, the lookups made at once; empty when lookups are off. */
    public Map<String, MailHost> lookUp(Collection<String> domains) {
        Map<String, MailHost> found = new HashMap<>();
        if (!enabled) {
            return found;
        }
        Map<String, CompletableFuture<MailHost>> pending = new HashMap<>();
        for (String domain : domains) {
            MailHost cached = cache.getIfPresent(domain);
            if (cached != null) {
                found.put(domain, cached);
            } else if (!pending.containsKey(domain)) {
                pending.put(domain, resolve(domain).toCompletionStage().toCompletableFuture());
            }
        }
        pending.forEach((domain, answer) -> {
            MailHost host;
            try {
                // MX, then A, then AAAA: at most three queries, each within the timeout.
                host = answer.get(timeout.toMillis() * 3 + 500, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                host = new MailHost(null, "the DNS lookup of " + domain + " did not finish in time");
            }
            if (host.found() != null) {
                cache.put(domain, host);
            }
            found.put(domain, host);
        });
        return found;
    }

    private Future<MailHost> resolve(String domain) {
        return client.resolveMX(domain).compose(mx -> {
            if (isNullMx(mx)) {
                return Future.succeededFuture(new MailHost(false, domain + " publishes a null MX record: it takes no mail (RFC 7505)"));
            }
            if (!mx.isEmpty()) {
                return Future.succeededFuture(new MailHost(true, "MX " + String.join(", ", mx.stream().map(MxRecord::name).toList())));
            }
            return client.resolveA(domain).compose(a -> a.isEmpty() ? client.resolveAAAA(domain) : Future.succeededFuture(a))
                    .map(addresses -> addresses.isEmpty()
                            ? new MailHost(false, domain + " has no MX record and no address record")
                            : new MailHost(true, "no MX record; the domain's address " + addresses.get(0) + " takes the mail (RFC 5321 5.1)"));
        }).recover(failure -> Future.succeededFuture(failed(domain, failure)));
    }

    private static boolean isNullMx(List<MxRecord> mx) {
        return mx.size() == 1 && (mx.get(0).name() == null || mx.get(0).name().isEmpty() || mx.get(0).name().equals("."));
    }

    private static MailHost failed(String domain, Throwable failure) {
        if (failure instanceof DnsException dns && dns.code() == DnsResponseCode.NXDOMAIN) {
            return new MailHost(false, domain + " does not exist (NXDOMAIN)");
        }
        String why = failure instanceof DnsException dns ? "the DNS server answered " + dns.code() : failure.getMessage();
        return new MailHost(null, "the DNS lookup of " + domain + " failed: " + why);
    }

    /** The first nameserver of /etc/resolv.conf, as the system resolver would ask. */
    private static String systemResolver() {
        try {
            return Files.readAllLines(Path.of("/etc/resolv.conf")).stream().map(String::strip).filter(l -> l.startsWith("nameserver "))
                    .map(l -> l.substring("nameserver ".length()).strip()).findFirst().orElse("127.0.0.1");
        } catch (IOException | RuntimeException e) {
            return "127.0.0.1";
        }
    }
}
