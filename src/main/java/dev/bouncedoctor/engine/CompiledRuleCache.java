package dev.bouncedoctor.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.jboss.logging.Logger;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;

/**
 * Rule sets that were accepted before, compiled, kept on disk: a process that starts on rules it has already compiled
 * and checked (the usual start, and every CLI command) reads them back in well under a second instead of compiling
 * them and running their scenarios again, which takes seconds.
 *
 * <p>An entry is keyed by a SHA-256 of every rule file's path and text, of the application's own code and of the
 * loader's settings: whether a set is accepted depends on nothing else, so an entry stands for a load that would
 * accept the same set again. Any change to a rule file or a new build of the application misses the cache and
 * compiles as before. Only accepted sets are kept: a refusal is always worked out anew, with its problems.
 *
 * <p>Entries are Java-serialized Drools packages, so reading one runs whatever classes it names: the directory must
 * belong to this process's user and be closed to everyone else, or the cache is not used.
 */
public final class CompiledRuleCache {

    private static final Logger LOG = Logger.getLogger(CompiledRuleCache.class);
    /** Raised when the layout of an entry changes, so that old entries are ignored rather than misread. */
    private static final String FORMAT = "bounce-doctor-compiled-rules/1";
    private static final String SUFFIX = ".rules";
    /** Entries kept: the serving set, the one before it and a few edits; older ones are removed when a new one is written. */
    private static final int KEPT = 6;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** What an entry holds besides the packages: what the compiler worked out from the sources' text. */
    record Entry(String format, List<InternalKnowledgePackage> packages, List<String> phrases, Map<String, List<String>> phrasesByRule,
                 int scenarios) implements Serializable {
    }

    private final Path directory;
    private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

    private CompiledRuleCache(Path directory) {
        this.directory = directory;
    }

    /**
     * The cache a setting names: {@code off} for none, a directory, or (blank) the user's own directory under the
     * system's temporary directory, which CLI commands and the service on the same machine share.
     */
    public static Optional<CompiledRuleCache> configured(String setting) {
        if (setting != null && setting.strip().equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        Path directory = setting == null || setting.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "bounce-doctor-rules-" + System.getProperty("user.name", "user"))
                : Path.of(setting.strip());
        return in(directory);
    }

    /**
     * The cache in {@code directory}, created closed to other users if it does not exist; empty when it cannot be used
     * safely (not a directory, another owner, open to others) or when the application's code cannot be identified.
     */
    public static Optional<CompiledRuleCache> in(Path directory) {
        if (CodeIdentity.HASH == null) {
            return Optional.empty();
        }
        try {
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory.getParent() == null ? directory : directory.getParent());
                try {
                    Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectory(directory);
                }
            }
            String unsafe = unsafe(directory);
            if (unsafe != null) {
                LOG.warnf("event=rules.cache outcome=unused dir=%s reason=\"%s\"", directory, unsafe);
                return Optional.empty();
            }
            return Optional.of(new CompiledRuleCache(directory));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("event=rules.cache outcome=unused dir=%s reason=\"%s\"", directory, e.getMessage());
            return Optional.empty();
        }
    }

    /** Why the directory may not hold entries that this process will deserialize, or null when it may. */
    private static String unsafe(Path directory) throws IOException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return "not a directory (or a link to one)";
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(directory, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (posix == null) {
            return null; // no POSIX owners here; the directory is the user's own by where it is configured
        }
        var attributes = posix.readAttributes();
        String me = System.getProperty("user.name");
        if (me != null && !attributes.owner().getName().equals(me)) {
            return "owned by " + attributes.owner().getName() + ", not by " + me;
        }
        if (!OWNER_ONLY.containsAll(attributes.permissions())) {
            return "open to other users (" + PosixFilePermissions.toString(attributes.permissions()) + "); chmod 700 it";
        }
        return null;
    }

    /** The key of sources as a loader with these settings would judge them. */
    static String key(RuleSources sources, boolean requireExercised) {
        MessageDigest sha = sha256();
        // The Drools and Java versions too: serialized packages are read back only by the same engine on the same runtime.
        sha.update((FORMAT + "\n" + CodeIdentity.HASH + "\n" + KiePackage.class.getPackage().getImplementationVersion() + "\n"
                + org.drools.core.impl.KnowledgeBaseImpl.class.getPackage().getImplementationVersion() + "\n" + Runtime.version() + "\n"
                + requireExercised + "\n").getBytes(StandardCharsets.UTF_8));
        sources.files().forEach((path, text) -> {
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        });
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The entry of that key, or empty when there is none or it cannot be read (then it is compiled again). */
    Optional<Entry> read(String key, ClassLoader classes) {
        Path file = directory.resolve(key + SUFFIX);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file); ObjectInputStream objects = new DroolsObjectInputStream(new java.io.BufferedInputStream(in, 1 << 16), classes)) {
            if (objects.readObject() instanceof Entry entry && FORMAT.equals(entry.format())) {
                reads.incrementAndGet();
                return Optional.of(entry);
            }
            return Optional.empty();
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
            // A torn or foreign entry is no reason not to start: compile as if it were not there.
            LOG.warnf("event=rules.cache outcome=unreadable file=%s reason=\"%s\"", file, e);
            return Optional.empty();
        }
    }

    /** How many entries this cache has read back: what a start or a command was spared compiling. */
    public int reads() {
        return reads.get();
    }

    /** Keeps a compiled, accepted set under its key; a failure to write only costs the next start its speed. */
    void write(String key, KieBase kieBase, PhraseIndex phrases, int scenarios) {
        List<InternalKnowledgePackage> packages = new ArrayList<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            packages.add((InternalKnowledgePackage) pkg);
        }
        Entry entry = new Entry(FORMAT, packages, phrases.phrases(), phrases.byRule(), scenarios);
        Path file = directory.resolve(key + SUFFIX);
        Path partial = directory.resolve(key + ".partial-" + ProcessHandle.current().pid());
        try {
            try (OutputStream out = Files.newOutputStream(partial); ObjectOutputStream objects = new DroolsObjectOutputStream(new java.io.BufferedOutputStream(out, 1 << 16))) {
                objects.writeObject(entry);
            }
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
            prune(file);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("event=rules.cache outcome=not-written file=%s reason=\"%s\"", file, e);
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the next write of the same key replaces it
            }
        }
    }

    /** Removes all but the newest entries, so that a long series of edits does not fill the disk. */
    private void prune(Path newest) throws IOException {
        List<Path> entries;
        try (Stream<Path> files = Files.list(directory)) {
            entries = files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).filter(p -> !p.equals(newest))
                    .sorted(Comparator.comparing(CompiledRuleCache::modified).reversed()).toList();
        }
        for (int i = KEPT - 1; i < entries.size(); i++) {
            Files.deleteIfExists(entries.get(i));
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * A hash of the application's own code: the jar (or class directory) this class was loaded from. Compiled rules
     * refer to the model's classes and their acceptance to the engine's code, so an entry from another build is not used.
     */
    static final class CodeIdentity {

        static final String HASH = compute();

        private CodeIdentity() {
        }

        private static String compute() {
            try {
                CodeSource source = CompiledRuleCache.class.getProtectionDomain().getCodeSource();
                if (source == null || source.getLocation() == null) {
                    return null;
                }
                Path location = Path.of(source.getLocation().toURI());
                MessageDigest sha = sha256();
                if (Files.isRegularFile(location)) {
                    digest(sha, location);
                } else if (Files.isDirectory(location)) {
                    List<Path> files;
                    try (Stream<Path> walk = Files.walk(location)) {
                        files = walk.filter(Files::isRegularFile).sorted().toList();
                    }
                    for (Path file : files) {
                        sha.update(location.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                        digest(sha, file);
                    }
                } else {
                    return null;
                }
                return HexFormat.of().formatHex(sha.digest());
            } catch (IOException | URISyntaxException | RuntimeException e) {
                LOG.warnf("event=rules.cache outcome=unused reason=\"the application's code could not be identified: %s\"", e.toString());
                return null;
            }
        }

        private static void digest(MessageDigest sha, Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
        }
    }
}
