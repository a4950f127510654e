package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule set read back from the cache is the set that was accepted: the same rules, with the same tie-break ranks, and
 * every scenario passes on it as on the compiled one. Anything else about an entry (another text, a broken file, a
 * directory others may write) costs a compile, never a wrong set.
 */
class CompiledRuleCacheTest {

    private static final RuleSources SHIPPED = RuleSources.read(Path.of("rules"));

    @TempDir
    Path temp;

    @Test
    void aSetReadBackGivesEveryScenarioTheAnswersOfTheCompiledSet() throws IOException {
        CompiledRuleCache cache = CompiledRuleCache.in(temp.resolve("cache")).orElseThrow();
        RuleSetLoader.Result compiled = new RuleSetLoader(cache).load(SHIPPED);
        assertTrue(compiled.accepted(), () -> compiled.problems().toString());
        assertEquals(0, cache.reads());
        assertEquals(1, entries(temp.resolve("cache")).size());

        RuleSetLoader.Result restored = new RuleSetLoader(cache).load(SHIPPED);
        assertEquals(1, cache.reads(), "the second load reads the entry instead of compiling");
        assertTrue(restored.accepted());
        assertEquals(compiled.version(), restored.version());
        assertEquals(compiled.scenarios(), restored.scenarios());
        assertEquals(compiled.rules(), restored.rules(), "the same rules, with the same metadata and ranks");
        assertEquals(ranks(compiled), ranks(restored), "the same tie-break order");
        assertEquals(compiled.ruleSet().phrases().phrases(), restored.ruleSet().phrases().phrases());

        List<Scenario> scenarios = new ArrayList<>();
        SHIPPED.scenarios().forEach((file, text) -> scenarios.addAll(new ScenarioParser().parse(file, text).scenarios()));
        RuleTemplates.Expanded expanded = RuleTemplates.expand(SHIPPED.files());
        scenarios.addAll(expanded.examples(new ArrayList<>()));
        List<ScenarioRunner.Outcome> outcomes = new ScenarioRunner().runAll(restored.ruleSet(), scenarios);
        assertEquals(scenarios.size(), outcomes.size());
        assertEquals(List.of(), outcomes.stream().filter(o -> !o.passed()).map(ScenarioRunner.Outcome::asProblem).toList());
        Set<String> fired = new HashSet<>();
        outcomes.forEach(o -> fired.addAll(o.rulesFired()));
        assertEquals(List.of(), RuleCoverage.unexercised(restored.rules(), fired, expanded.drl()), "every rule still fires for its scenarios");
    }

    @Test
    void anEditedRuleFileIsCompiledAgainAndABrokenEntryIsIgnored() throws IOException {
        Path dir = temp.resolve("cache");
        CompiledRuleCache cache = CompiledRuleCache.in(dir).orElseThrow();
        RuleSources reduced = ReducedRules.read();
        RuleSetLoader loader = new RuleSetLoader(false, cache);
        assertTrue(loader.load(reduced).accepted());

        // One comment more is another text: compiled, not read back, and kept as a second entry.
        String path = reduced.files().keySet().stream().filter(p -> p.endsWith(".drl")).findFirst().orElseThrow();
        RuleSources edited = reduced.overlay(Map.of(path, reduced.files().get(path) + "\n// edited\n"));
        assertTrue(loader.load(edited).accepted());
        assertEquals(0, cache.reads());
        assertEquals(2, entries(dir).size());

        // A loader with other settings judges differently, so it does not read the other's entry either.
        assertFalse(new RuleSetLoader(true, cache).load(reduced).accepted(), "the reduced rules leave rules unexercised");
        assertEquals(0, cache.reads());

        for (Path entry : entries(dir)) {
            Files.write(entry, new byte[] {(byte) 0xac, (byte) 0xed, 0, 5, 1, 2, 3});
        }
        RuleSetLoader.Result again = loader.load(edited);
        assertTrue(again.accepted(), "a broken entry is compiled anew");
        assertEquals(0, cache.reads());
    }

    @Test
    void aRefusedSetIsNeverKept() throws IOException {
        Path dir = temp.resolve("cache");
        CompiledRuleCache cache = CompiledRuleCache.in(dir).orElseThrow();
        RuleSources reduced = ReducedRules.read();
        String path = reduced.files().keySet().stream().filter(p -> p.endsWith(".drl")).findFirst().orElseThrow();
        RuleSources broken = reduced.overlay(Map.of(path, reduced.files().get(path) + "\nrule \"unfinished\" when then\n"));
        RuleSetLoader loader = new RuleSetLoader(false, cache);
        assertFalse(loader.load(broken).accepted());
        assertFalse(loader.load(broken).accepted(), "refused again, with its problems, the second time too");
        assertEquals(List.of(), entries(dir));
    }

    /** Entries are deserialized, so running what they name: a directory others may write is not used at all. */
    @Test
    void aDirectoryOpenToOtherUsersIsNotUsed() throws IOException {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(CompiledRuleCache.in(open).isEmpty());
        Path created = temp.resolve("new/cache");
        assertTrue(CompiledRuleCache.in(created).isPresent());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)), "created closed to others");
        assertTrue(CompiledRuleCache.configured("off").isEmpty());
        assertTrue(CompiledRuleCache.configured(" OFF ").isEmpty());
    }

    private static Map<String, Object> ranks(RuleSetLoader.Result result) {
        Map<String, Object> ranks = new java.util.TreeMap<>();
        result.ruleSet().kieBase().getKiePackages().forEach(p -> p.getRules().forEach(r -> ranks.put(r.getName(), r.getMetaData().get("rank"))));
        return ranks;
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".rules")).sorted().toList();
        }
    }
}
