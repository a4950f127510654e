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
 * The text of a rule set: every {@code .drl}, rule template ({@code .drt} with its {@code .csv} or {@code .xlsx} table),
 * decision table ({@code .csv}, {@code .xlsx}) and scenario {@code .yaml} file under a directory, and its
 * {@value #VOCABULARY}, keyed by its path relative to that directory with '/' separators. A workbook ({@code .xlsx}) is
 * binary and is held as its Base64 text ({@link #text}). Its version is a hash of exactly that.
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
                    .forEach(p -> files.put(relative(root, p), readText(p)));
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
                || name.endsWith(RuleTemplates.TEMPLATE) || RuleTemplates.isTable(name);
    }

    /** Whether the file is binary (a workbook) and so held as Base64 text. */
    public static boolean isBinary(String name) {
        return name.endsWith(RuleTemplates.WORKBOOK);
    }

    /**
     * A file's bytes as the sources hold them: a workbook as Base64, any other file as UTF-8 text (null when it is not
     * UTF-8, for the caller to name).
     */
    public static String text(String name, byte[] bytes) {
        if (isBinary(name)) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
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

    private static String readText(Path p) {
        try {
            String text = text(p.getFileName().toString(), Files.readAllBytes(p));
            if (text == null) {
                throw new java.nio.charset.MalformedInputException(0);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(p + " is not UTF-8 text (rule files other than .xlsx workbooks are plain UTF-8)", e);
        }
    }
}
