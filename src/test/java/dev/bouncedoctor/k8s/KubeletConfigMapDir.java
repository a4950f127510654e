package dev.bouncedoctor.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A directory laid out as the kubelet lays out a ConfigMap volume, updated the way it updates one:
 * the payload goes into a fresh {@code ..<timestamp>} directory, a temporary link to it is renamed
 * over {@code ..data} (one atomic rename), the old payload is removed, and the visible top-level
 * entries are links through {@code ..data}.
 */
public final class KubeletConfigMapDir {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss");
    private final AtomicInteger updates = new AtomicInteger();
    private final Path root;

    private KubeletConfigMapDir(Path root) {
        this.root = root;
    }

    /** A new volume holding {@code files} (path under the volume → text, as the volume's items place them). */
    public static KubeletConfigMapDir create(Path root, Map<String, String> files) {
        KubeletConfigMapDir dir = new KubeletConfigMapDir(root);
        dir.update(files);
        return dir;
    }

    public Path root() {
        return root;
    }

    /** Replaces the whole payload at once, as an edit of the ConfigMap does. */
    public synchronized void update(Map<String, String> files) {
        try {
            Files.createDirectories(root);
            String stamp = ".." + LocalDateTime.now().format(STAMP) + "." + updates.incrementAndGet();
            Path payload = root.resolve(stamp);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = payload.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
            Path data = root.resolve("..data");
            Path previous = Files.isSymbolicLink(data) ? root.resolve(Files.readSymbolicLink(data)) : null;
            Path tmp = root.resolve("..data_tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, Path.of(stamp));
            Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            Set<String> visible = files.keySet().stream().map(p -> p.split("/", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
            for (String name : visible) {
                Path link = root.resolve(name);
                if (!Files.isSymbolicLink(link)) {
                    Files.createSymbolicLink(link, Path.of("..data").resolve(name));
                }
            }
            if (previous != null) {
                delete(previous);
            }
            try (Stream<Path> entries = Files.list(root)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    String name = entry.getFileName().toString();
                    if (!name.startsWith("..") && !visible.contains(name)) {
                        Files.delete(entry);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
