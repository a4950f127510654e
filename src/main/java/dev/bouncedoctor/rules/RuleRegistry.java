package dev.bouncedoctor.rules;

import dev.bouncedoctor.engine.CompiledRuleCache;
import dev.bouncedoctor.engine.RulePreload;
import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.engine.RuleSetLoader;
import dev.bouncedoctor.engine.RuleSources;
import dev.bouncedoctor.model.RuleProblem;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Holds the rule set being served and replaces it when the rules directory changes. A swap is a
 * single reference write, so a request sees either the old set or the new one, never a mix; a set
 * that fails to compile or fails its own scenarios is refused and the old one keeps serving.
 */
@ApplicationScoped
public class RuleRegistry {

    private static final Logger LOG = Logger.getLogger(RuleRegistry.class);

    /** The outcome of the latest load attempt, accepted or not. */
    public record LoadReport(Instant at, String version, boolean accepted, int rules, int scenarios, int scenariosFailed,
                             List<RuleProblem> problems, long millis) {
    }

    private final Path directory;
    private final RuleSetLoader loader;
    private final boolean requireExercised;
    private final AtomicReference<RuleSet> current = new AtomicReference<>();
    private volatile LoadReport lastLoad;
    private volatile String lastSeenVersion;
    @Inject
    Event<RuleSetLoaded> loaded;
    @ConfigProperty(name = "rules.validate.timeout", defaultValue = "60s")
    Duration validateTimeout;
    private final Semaphore validating = new Semaphore(1);
    private final ExecutorService validations = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rules-validate");
        t.setDaemon(true);
        return t;
    });

    /**
     * {@code rules.require-exercised=false} lets a set with rules no scenario fires be served: only for the tests that
     * serve a reduced copy of the rules (their scenarios cover part of it); the shipped rules are all exercised.
     */
    public RuleRegistry(@ConfigProperty(name = "rules.dir", defaultValue = "rules") String directory,
                        @ConfigProperty(name = "rules.require-exercised", defaultValue = "true") boolean requireExercised,
                        @ConfigProperty(name = "rules.cache.dir") Optional<String> cacheDir) {
        this.directory = Path.of(directory);
        this.requireExercised = requireExercised;
        this.loader = new RuleSetLoader(requireExercised, CompiledRuleCache.configured(cacheDir.orElse(null)).orElse(null));
    }

    /** {@code rules.load-on-start=false}: a process that serves nothing (the jar's keys command) does not compile the rules. */
    void onStart(@Observes StartupEvent event, @ConfigProperty(name = "rules.load-on-start", defaultValue = "true") boolean load,
                 @ConfigProperty(name = "rules.compile-ahead", defaultValue = "true") boolean compileAhead) {
        if (load) {
            reload();
            if (compileAhead) {
                compileAhead();
            }
        }
    }

    /**
     * A set read back from the cache at start was not compiled in this process, so a rule author's first edit would
     * compile every file. Compiled once in the background, at the lowest priority, each file's compiled form is kept
     * (engine CompiledUnits) and the first edit compiles only its own file.
     */
    private void compileAhead() {
        Thread ahead = new Thread(() -> {
            long start = System.nanoTime();
            try {
                new dev.bouncedoctor.engine.RuleCompiler().compile(RuleSources.read(directory).drl());
                LOG.infof("event=rules.compile-ahead outcome=done millis=%d", Duration.ofNanos(System.nanoTime() - start).toMillis());
            } catch (RuntimeException e) {
                LOG.infof("event=rules.compile-ahead outcome=skipped reason=\"%s\"", e.getMessage());
            }
        }, "rules-compile-ahead");
        ahead.setDaemon(true);
        ahead.setPriority(Thread.MIN_PRIORITY);
        ahead.setContextClassLoader(dev.bouncedoctor.engine.RuleCompiler.class.getClassLoader());
        ahead.start();
    }

    /** The rule set serving now; empty until one has loaded. */
    public Optional<RuleSet> current() {
        return Optional.ofNullable(current.get());
    }

    public Optional<LoadReport> lastLoad() {
        return Optional.ofNullable(lastLoad);
    }

    public Path directory() {
        return directory;
    }

    /** Polls rather than relying on file events: a ConfigMap update swaps a symlink, which inotify does not report for the files behind it. */
    @Scheduled(every = "${rules.poll-interval:2s}", delayed = "${rules.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            String version = RuleSources.read(directory).version();
            if (!version.equals(lastSeenVersion)) {
                reload();
            }
        } catch (UncheckedIOException e) {
            if (lastSeenVersion != null) {
                LOG.warnf("event=rules.poll outcome=unreadable dir=%s error=\"%s\"", directory, e.getMessage());
                lastSeenVersion = null;
            }
        }
    }

    /** Loads the directory now; the previous set keeps serving unless the new one is accepted. */
    public synchronized LoadReport reload() {
        long start = System.nanoTime();
        LoadReport report;
        try {
            RuleSources sources = RuleSources.read(directory);
            lastSeenVersion = sources.version();
            RuleSet serving = current.get();
            LoadReport last = lastLoad;
            if (serving != null && last != null && last.accepted() && sources.version().equals(serving.version())
                    && sources.version().equals(last.version())) {
                // These very files serve already: the poll and a reload request saw the same edit, or nothing changed.
                // Compiling them again would give the same set, and under load takes long enough for callers to time out.
                LOG.debugf("event=rules.reload outcome=unchanged version=%s", serving.version());
                // Still a reload that ended with this set serving, for whoever counts them.
                announce(new RuleSetLoaded(last, serving));
                return last;
            }
            // At start the rules may have been read back already, while the application started (see Main).
            RuleSetLoader.Result result = RulePreload.take(directory, sources, requireExercised).orElseGet(() -> loader.load(sources));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            report = new LoadReport(Instant.now(), result.version(), result.accepted(), result.rules().size(), result.scenarios(),
                    result.scenariosFailed(), result.problems(), millis);
            if (result.accepted()) {
                current.set(result.ruleSet());
            }
        } catch (UncheckedIOException e) {
            report = new LoadReport(Instant.now(), null, false, 0, 0, 0,
                    List.of(new RuleProblem(directory.toString(), 0, 0, e.getCause().getMessage())), Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
        lastLoad = report;
        log(report);
        announce(new RuleSetLoaded(report, current.get()));
        return report;
    }

    /** Another validation holds the one slot; the caller may try again shortly. */
    public static final class ValidationBusyException extends RuntimeException {
        ValidationBusyException() {
            super("another rule validation is running; try again in a few seconds");
        }
    }

    /**
     * Compiles and checks edited sources against the current directory without serving them. One validation runs at
     * a time, on its own thread, for at most {@code rules.validate.timeout}: past that the answer is a refusal and the
     * scenarios stop at the next one; the slot stays taken until the work has really ended, so slow validations
     * cannot pile up. The serving rule set is never touched.
     */
    public RuleSetLoader.Result validate(Map<String, String> edits, boolean overlay) {
        RuleSetLoader.Result timedOut = new RuleSetLoader.Result(null, null, List.of(), List.of(new RuleProblem("", 0, 0, "the validation took longer than "
                + validateTimeout.toSeconds() + " s (rules.validate.timeout) and was stopped; split the change into smaller ones")), 0, 0);
        return inValidationSlot(() -> {
            RuleSources base = overlay ? RuleSources.read(directory) : new RuleSources(new TreeMap<>());
            return loader.load(base.overlay(edits));
        }, timedOut);
    }

    /**
     * Edited sources compiled against the current directory, not judged by their scenarios and never served: for a
     * preview of their effect. Runs in the one validation slot, as {@link #validate} does.
     */
    public RuleSetLoader.Candidate candidate(Map<String, String> edits, boolean overlay) {
        RuleSetLoader.Candidate timedOut = new RuleSetLoader.Candidate(null, List.of(), List.of(new RuleProblem("", 0, 0, "the compile took longer than "
                + validateTimeout.toSeconds() + " s (rules.validate.timeout) and was stopped; split the change into smaller ones")));
        return inValidationSlot(() -> {
            RuleSources base = overlay ? RuleSources.read(directory) : new RuleSources(new TreeMap<>());
            return loader.candidate(base.overlay(edits));
        }, timedOut);
    }

    private <T> T inValidationSlot(java.util.concurrent.Callable<T> job, T timedOut) {
        if (!validating.tryAcquire()) {
            throw new ValidationBusyException();
        }
        ClassLoader loaderOfCaller = Thread.currentThread().getContextClassLoader();
        Future<T> work;
        try {
            work = validations.submit(() -> {
                // Drools finds its runtime through the context class loader: give this thread the application's.
                Thread.currentThread().setContextClassLoader(loaderOfCaller);
                try {
                    return job.call();
                } finally {
                    validating.release();
                }
            });
        } catch (RuntimeException e) {
            validating.release();
            throw e;
        }
        try {
            return work.get(validateTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Not interrupted: a compile loads classes from the application's jars, and a clean-clone CI run had an
            // interrupted validation never end, holding the slot for minutes (the cause inside the class loading was not
            // found). The abandoned validation runs to its end and holds the slot until then, as /v1/rules/validate says.
            work.cancel(false);
            return timedOut;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.cancel(false);
            throw new IllegalStateException("interrupted while validating rules", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @PreDestroy
    void stopValidations() {
        validations.shutdownNow();
    }

    /** A load can end while the application shuts down, when its observers are gone: that is no reason to fail it. */
    private void announce(RuleSetLoaded event) {
        try {
            loaded.fire(event);
        } catch (RuntimeException e) {
            LOG.debugf("event=rules.loaded outcome=not-announced cause=\"%s\"", e.getMessage());
        }
    }

    private void log(LoadReport r) {
        RuleSet serving = current.get();
        if (r.accepted()) {
            LOG.infof("event=rules.reload outcome=accepted version=%s rules=%d scenarios=%d millis=%d dir=%s",
                    r.version(), r.rules(), r.scenarios(), r.millis(), directory);
        } else {
            LOG.errorf("event=rules.reload outcome=refused version=%s problems=%d serving=%s millis=%d dir=%s",
                    r.version(), r.problems().size(), serving == null ? "none" : serving.version(), r.millis(), directory);
            r.problems().stream().limit(20).forEach(p -> LOG.errorf("event=rules.problem file=%s line=%d column=%d message=\"%s\"",
                    p.file(), p.line(), p.column(), p.message().replace('"', '\'')));
        }
    }
}
