package dev.bouncedoctor.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.drl.ast.descr.FunctionDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.io.ResourceFactory;

/**
 * A rule set compiled file by file, each file's compiled packages kept by the file's text, so that an edit recompiles
 * only the file it touched (a rule author's loop: validate, reload) and the rest is put together from what was
 * compiled before. A file calling a function another file of its package defines is compiled with its whole package.
 * The rules get the load order one compile of all the files would give them, and every phrase keeps one number for
 * the life of the process ({@link #number}), so that units compiled at different times share one phrase index.
 */
final class CompiledUnits {

    /** A unit as compiled: its packages serialized (each assembly reads fresh copies: ranks are set on the rules). */
    private record Unit(byte[] packages, Map<String, Integer> phrases, Map<String, List<String>> phrasesByRule) {
    }

    /** What the units make together; empty when some unit does not build, for the caller to compile as a whole. */
    record Assembled(KieBase kieBase, PhraseIndex phrases) {
    }

    private static final int KEPT = 512;
    /** By the unit's hash; a unit being compiled is there already, so that a second compile waits for it (null: it did not build). */
    private static final Map<String, java.util.concurrent.CompletableFuture<Unit>> UNITS = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, java.util.concurrent.CompletableFuture<Unit>> eldest) {
            return size() > KEPT;
        }
    };

    private static final java.util.concurrent.atomic.AtomicInteger BUILDS = new java.util.concurrent.atomic.AtomicInteger();
    private static final Map<String, Integer> NUMBERS = new HashMap<>();
    private static final Set<Integer> TAKEN = new HashSet<>();
    /** Past every number taken: a new phrase's number. */
    private static int next;

    private CompiledUnits() {
    }

    /** How many units this process has compiled: what an edit cost, for the tests. */
    static int builds() {
        return BUILDS.get();
    }

    /** The number of a phrase for this process: the same in every unit, whenever it was compiled. */
    static synchronized int number(String phrase) {
        Integer known = NUMBERS.get(phrase);
        if (known != null) {
            return known;
        }
        while (TAKEN.contains(next)) {
            next++;
        }
        NUMBERS.put(phrase, next);
        TAKEN.add(next);
        return next++;
    }

    /** Takes on the numbers of a set read back from the cache, where no other phrase holds them yet. */
    static synchronized void adopt(List<String> numbered) {
        for (int i = 0; i < numbered.size(); i++) {
            String phrase = numbered.get(i);
            if (!phrase.isEmpty() && !NUMBERS.containsKey(phrase) && !TAKEN.contains(i)) {
                NUMBERS.put(phrase, i);
                TAKEN.add(i);
            }
        }
    }

    /**
     * The set of these files, each unit compiled now or taken from what was compiled before (a unit another compile is
     * building is waited for, not built twice); empty when a unit does not build or a package names a rule twice.
     *
     * @param parsed each file's descriptors, which a unit compiled now rewrites (its phrases numbered)
     */
    static Optional<Assembled> compile(SortedMap<String, String> drlFiles, Map<String, PackageDescr> parsed, java.util.function.Supplier<KnowledgeBuilder> builders) {
        List<List<String>> units = units(drlFiles, parsed);
        List<InternalKnowledgePackage> packages = new ArrayList<>();
        Map<String, Integer> phrases = new HashMap<>();
        Map<String, List<String>> byRule = new LinkedHashMap<>();
        int loadOrder = 0;
        Set<String> names = new HashSet<>();
        for (List<String> paths : units) {
            String key = key(paths, drlFiles);
            java.util.concurrent.CompletableFuture<Unit> mine = null;
            java.util.concurrent.CompletableFuture<Unit> shared;
            synchronized (UNITS) {
                shared = UNITS.get(key);
                if (shared == null) {
                    mine = new java.util.concurrent.CompletableFuture<>();
                    UNITS.put(key, mine);
                    shared = mine;
                }
            }
            if (mine != null) {
                Unit built = null;
                try {
                    built = build(paths, parsed, builders.get());
                } finally {
                    if (built == null) {
                        synchronized (UNITS) {
                            UNITS.remove(key, mine);
                        }
                    }
                    mine.complete(built);
                }
            }
            Unit unit = shared.join();
            if (unit == null) {
                return Optional.empty();
            }
            List<InternalKnowledgePackage> read = read(unit);
            // The order one compile of every file would give: by file, then as written (each unit numbers its own from 0).
            List<RuleImpl> rules = new ArrayList<>();
            for (InternalKnowledgePackage pkg : read) {
                for (Rule rule : pkg.getRules()) {
                    rules.add((RuleImpl) rule);
                    if (!names.add(pkg.getName() + "\u0000" + rule.getName())) {
                        return Optional.empty(); // the same name twice in a package: the whole compile says so
                    }
                }
            }
            rules.sort(Comparator.comparingInt(RuleImpl::getLoadOrder));
            for (RuleImpl rule : rules) {
                rule.setLoadOrder(loadOrder++);
            }
            packages.addAll(read);
            phrases.putAll(unit.phrases());
            byRule.putAll(unit.phrasesByRule());
        }
        var kieBase = org.drools.kiesession.rulebase.KnowledgeBaseFactory.newKnowledgeBase(
                org.drools.core.impl.RuleBaseFactory.newKnowledgeBaseConfiguration(null, RuleCompiler.classes()));
        kieBase.addPackages(new ArrayList<>(packages));
        int size = phrases.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<String> numbered = new ArrayList<>(java.util.Collections.nCopies(size, ""));
        phrases.forEach((phrase, number) -> numbered.set(number, phrase));
        return Optional.of(new Assembled(kieBase, new PhraseIndex(numbered, byRule)));
    }

    /**
     * The files compiled together, in the order of their paths: each file alone, except that the files of a package
     * in which one file calls a function another defines are one unit.
     */
    private static List<List<String>> units(SortedMap<String, String> drlFiles, Map<String, PackageDescr> parsed) {
        Map<String, List<String>> byPackage = new TreeMap<>();
        drlFiles.keySet().forEach(path -> byPackage.computeIfAbsent(parsed.get(path).getName(), p -> new ArrayList<>()).add(path));
        Set<String> together = new HashSet<>();
        byPackage.forEach((pkg, paths) -> {
            for (String definer : paths) {
                for (FunctionDescr function : parsed.get(definer).getFunctions()) {
                    Pattern call = Pattern.compile("\\b" + Pattern.quote(function.getName()) + "\\s*\\(");
                    if (paths.stream().anyMatch(other -> !other.equals(definer) && call.matcher(drlFiles.get(other)).find())) {
                        together.add(pkg);
                    }
                }
            }
        });
        List<List<String>> units = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (String path : drlFiles.keySet()) {
            String pkg = parsed.get(path).getName();
            if (!together.contains(pkg)) {
                units.add(List.of(path));
            } else if (placed.add(pkg)) {
                units.add(byPackage.get(pkg));
            }
        }
        return units;
    }

    private static String key(List<String> paths, SortedMap<String, String> drlFiles) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String path : paths) {
                sha.update(path.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(drlFiles.get(path).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Compiles one unit with its phrases numbered for the process; null when it does not build. */
    private static Unit build(List<String> paths, Map<String, PackageDescr> parsed, KnowledgeBuilder builder) {
        BUILDS.incrementAndGet();
        PhraseRewriter rewriter = new PhraseRewriter(CompiledUnits::number);
        try {
            for (String path : paths) {
                PackageDescr pkg = parsed.get(path);
                rewriter.rewrite(pkg);
                builder.add(ResourceFactory.newDescrResource(pkg), ResourceType.DESCR);
            }
        } catch (RuntimeException e) {
            return null;
        }
        if (builder.hasErrors()) {
            return null;
        }
        List<InternalKnowledgePackage> packages = new ArrayList<>();
        for (KiePackage pkg : builder.getKnowledgePackages()) {
            packages.add((InternalKnowledgePackage) pkg);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new DroolsObjectOutputStream(bytes)) {
            out.writeObject(packages);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Unit(bytes.toByteArray(), rewriter.numbered(), rewriter.phrasesByRule());
    }

    @SuppressWarnings("unchecked")
    private static List<InternalKnowledgePackage> read(Unit unit) {
        try (ObjectInputStream in = new DroolsObjectInputStream(new ByteArrayInputStream(unit.packages()), RuleCompiler.classes())) {
            return (List<InternalKnowledgePackage>) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("a unit compiled in this process could not be read back", e);
        }
    }
}
