package dev.bouncedoctor.engine;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;

/**
 * The shipped rules with only the code-based classify rules and their scenarios, for tests of the mechanics (loading,
 * reloading, refusing) rather than of the knowledge: each load compiles all of what it is given, and this is a third of
 * the rules in half the time.
 */
public final class ReducedRules {

    private static final Set<String> KEPT_CLASSIFY = Set.of("classify/enhanced-codes.drl", "classify/reply-codes.drl",
            "classify/status.drl", "classify/event-names.drt", "classify/event-names.csv", "classify/event-status.drl",
            "scenarios/classify/enhanced-codes.yaml");

    private ReducedRules() {
    }

    /** Whether a file of rules/ (its path relative to it, with '/') is in the reduced set. */
    public static boolean kept(String path) {
        return !(path.startsWith("classify/") || path.startsWith("scenarios/")) || KEPT_CLASSIFY.contains(path);
    }

    /** The reduced set read from rules/. */
    public static RuleSources read() {
        TreeMap<String, String> files = new TreeMap<>(RuleSources.read(Path.of("rules")).files());
        files.keySet().removeIf(path -> !kept(path));
        return new RuleSources(files);
    }
}
