package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The text of a rule set: every {@code .drl}, rule template ({@code .drt} with its {@code .csv} table) and scenario
 * {@code .yaml} file under a directory, and its
 * {@value #VOCABULARY}, keyed by
 * its path relative to that directory with '/' separators. Its version is a hash of exactly that.
 */
public record RuleSources(SortedMap<String, String> files) {

    public RuleSources {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /**
     * Reads a rules directory. Links are followed and entries whose name starts with a dot are
     * skipped: a Kubernetes ConfigMap volume keeps its real files under {@code ..data} and
     * {@code ..<timestamp>} and shows them through top-level links, so each file is read once
     * (from the payload {@code ..data} points at, see {@link #payload}).
     */
    public static RuleSources read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new IOException("rules directory " + dir.toAbsolutePath() + " does not exist or is not a directory"));
        }
        // A ConfigMap's swap can happen mid-read, and the kubelet then deletes the old payload: a read
        // counts only if ..data still points where it pointed when the read began.
        for (int attempt = 1; ; attempt++) {
            Path root = payload(dir);
            try {
                SortedMap<String, String> files = walk(root);
                if (root.equals(payload(dir))) {
                    return new RuleSources(files);
                }
            } catch (UncheckedIOException e) {
                if (root.equals(payload(dir))) {
                    throw e;
                }
            }
            if (attempt == 5) {
                throw new UncheckedIOException(new IOException("rules directory " + dir.toAbsolutePath() + " kept changing while it was read"));
            }
        }
    }

    private static SortedMap<String, String> walk(Path root) {
        SortedMap<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            walk.filter(p -> !hidden(root, p))
                    .filter(Files::isRegularFile)
                    .filter(p -> isRuleFile(p.getFileName().toString()))
                    .forEach(p -> files.put(relative(root, p), readString(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * In a ConfigMap volume, the directory {@code ..data} points at now: one immutable payload, so a
     * swap during the walk cannot mix old and new files (going through the top-level links could).
     */
    private static Path payload(Path dir) {
        Path data = dir.resolve("..data");
        try {
            return Files.isSymbolicLink(data) ? data.toRealPath() : dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isRuleFile(String name) {
        return name.endsWith(".drl") || name.endsWith(".yaml") || name.endsWith(".yml")
                || name.endsWith(RuleTemplates.TEMPLATE) || name.endsWith(RuleTemplates.DATA);
    }

    /** The words rules may write, at the top of the rules directory. */
    public static final String VOCABULARY = "vocabulary.yaml";

    public static boolean isScenarioFile(String path) {
        return (path.endsWith(".yaml") || path.endsWith(".yml")) && !path.equals(VOCABULARY);
    }

    /** The text of {@value #VOCABULARY}, or null when the sources have none. */
    public String vocabulary() {
        return files.get(VOCABULARY);
    }

    /** These sources with some files replaced or added, as a rule author's edit would leave them. */
    public RuleSources overlay(Map<String, String> edits) {
        SortedMap<String, String> merged = new TreeMap<>(files);
        merged.putAll(edits);
        return new RuleSources(merged);
    }

    /** The DRL to compile: every .drl file, and every rule template filled from its table ({@link RuleTemplates}). */
    public SortedMap<String, String> drl() {
        return RuleTemplates.expand(files).drl();
    }

    /** What keeps a rule template from being filled (a missing or malformed table): the set is refused with these. */
    public List<RuleProblem> templateProblems() {
        return RuleTemplates.expand(files).problems();
    }

    public SortedMap<String, String> scenarios() {
        SortedMap<String, String> scenarios = new TreeMap<>();
        files.forEach((path, text) -> {
            if (isScenarioFile(path)) {
                scenarios.put(path, text);
            }
        });
        return scenarios;
    }

    /** A short hash of every path and text: equal sources, equal version, on every replica. */
    public String version() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.forEach((path, text) -> {
                sha.update(path.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(text.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
