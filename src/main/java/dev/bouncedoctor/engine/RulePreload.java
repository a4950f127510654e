package dev.bouncedoctor.engine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The service's rules read back from the compiled-rules cache on a thread of their own while the application starts
 * (the database, the HTTP layer), instead of after it: on two cores the start is then about as long as the longer of
 * the two, not their sum. Only a cached set is read; a set that must be compiled is compiled by the registry as always.
 * The registry takes the result only when it is for the very directory, text and settings it loads.
 */
public final class RulePreload {

    private record Started(Path directory, CompletableFuture<Optional<RuleSetLoader.Result>> result) {
    }

    private static volatile Started started;

    private RulePreload() {
    }

    /** Starts reading the cached set of {@code directory}; a second call replaces the first. */
    public static void start(Path directory, String cacheSetting) {
        CompletableFuture<Optional<RuleSetLoader.Result>> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                Optional<CompiledRuleCache> cache = CompiledRuleCache.configured(cacheSetting);
                result.complete(cache.isEmpty() ? Optional.empty() : new RuleSetLoader(true, cache.get()).cached(RuleSources.read(directory)));
            } catch (RuntimeException | LinkageError e) {
                result.complete(Optional.empty()); // the registry loads the rules itself, and reports what is wrong with them
            }
        }, "rules-preload");
        reader.setDaemon(true);
        started = new Started(directory.toAbsolutePath().normalize(), result);
        reader.start();
    }

    /**
     * The preloaded set, once, when it was read for {@code directory} and these sources by a loader that requires every
     * rule to be exercised; otherwise empty, and the caller loads the sources itself.
     */
    public static Optional<RuleSetLoader.Result> take(Path directory, RuleSources sources, boolean requireExercised) {
        Started preload = started;
        started = null;
        if (preload == null || !requireExercised || !preload.directory().equals(directory.toAbsolutePath().normalize())) {
            return Optional.empty();
        }
        try {
            return preload.result().get().filter(r -> r.version().equals(sources.version()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }
}
