package dev.bouncedoctor.api;

import dev.bouncedoctor.model.RequestBudget;
import dev.bouncedoctor.model.WorkAbandonedException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The work of the requests being served, so that none outgrows the process:
 * <ul>
 * <li>a request starts only when the memory its body will take fits ({@link MemoryAdmission}): eight batches of 10 MB
 * at once exhausted a 256 MB heap, while as many small requests as come in run at once;</li>
 * <li>it runs inside a {@link RequestBudget} of {@code request.max-seconds}, abandoned when its client closes the
 * connection, so that nothing works on for an answer nobody reads;</li>
 * <li>and when the service stops, whatever is still running after the graceful wait is abandoned, so the process
 * ends inside the pod's grace period.</li>
 * </ul>
 */
@ApplicationScoped
public class InFlightWork {

    private static final Logger LOG = Logger.getLogger(InFlightWork.class);

    private final Set<RequestBudget> running = ConcurrentHashMap.newKeySet();
    private final CurrentVertxRequest request;
    private final Config config;
    private final Duration maxTime;
    private final MemoryAdmission memory;

    public InFlightWork(CurrentVertxRequest request, Config config,
                        @ConfigProperty(name = "request.max-seconds", defaultValue = "20") int maxSeconds,
                        @ConfigProperty(name = "limits.in-flight-body") Optional<MemorySize> inFlightBody,
                        @ConfigProperty(name = "limits.in-flight-wait", defaultValue = "10s") Duration wait) {
        this.request = request;
        this.config = config;
        this.maxTime = Duration.ofSeconds(maxSeconds);
        // A body's worth of strings, their lower-cased copies and the answer take about ten times the body at most: a
        // tenth of the heap for bodies in flight by default.
        long bytes = inFlightBody.map(MemorySize::asLongValue).orElse(Runtime.getRuntime().maxMemory() / 10);
        this.memory = new MemoryAdmission(bytes, wait);
    }

    /** What an admitted request holds: its share of memory and its budget, both given back on close. */
    public final class Admitted implements AutoCloseable {
        private final long weight;
        private final RequestBudget.Scope budget;

        private Admitted(long weight, RequestBudget.Scope budget) {
            this.weight = weight;
            this.budget = budget;
        }

        RequestBudget.Scope budget() {
            return budget;
        }

        @Override
        public void close() {
            running.remove(budget.budget());
            memory.release(weight);
        }
    }

    Admitted admit(Method endpoint) {
        long weight = weightOf(endpoint);
        memory.acquire(weight);
        RequestBudget.Scope scope = RequestBudget.open(maxTime);
        RequestBudget budget = scope.budget();
        running.add(budget);
        RoutingContext context = request.getCurrent();
        if (context != null) {
            // Called once the response is sent, or failed when the connection closed before it was.
            context.addEndHandler(ended -> {
                if (ended.failed()) {
                    budget.abandon(WorkAbandonedException.Why.CLIENT_LEFT);
                }
            });
        }
        return new Admitted(weight, scope);
    }

    /** The body's declared length; a chunked body may be as large as the endpoint reads. */
    private long weightOf(Method endpoint) {
        RoutingContext context = request.getCurrent();
        String length = context == null ? null : context.request().getHeader("Content-Length");
        if (length != null) {
            try {
                return Math.max(0, Long.parseLong(length.trim()));
            } catch (NumberFormatException e) {
                // refused by BodyLimits before it gets here
            }
        }
        BodyLimit limit = endpoint.getAnnotation(BodyLimit.class);
        return config.getValue("limits.body." + (limit == null ? "default" : limit.value()), MemorySize.class).asLongValue();
    }

    /** Runs after the graceful wait ({@code quarkus.shutdown.timeout}): what still runs now would outlive the pod. */
    void onShutdown(@Observes ShutdownEvent event) {
        List<RequestBudget> left = List.copyOf(running);
        if (!left.isEmpty()) {
            LOG.warnf("event=shutdown.abandoning requests=%d", left.size());
        }
        left.forEach(b -> b.abandon(WorkAbandonedException.Why.SHUTTING_DOWN));
    }
}
