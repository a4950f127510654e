package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleInfo;
import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.engine.policy.RulePolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.compiler.compiler.DescrBuildError;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.drools.drl.parser.ParserError;
import org.jboss.logging.Logger;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderError;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/**
 * Compiles DRL text into a KieBase at run time. {@link KnowledgeBuilder} is used rather than
 * {@code KieBuilder}: its errors carry file, line and column, and it registers no KieModule in the
 * global KIE repository, so repeated reloads leave nothing behind to clean up.
 */
public final class RuleCompiler {

    public record Result(KieBase kieBase, PhraseIndex phrases, List<RuleInfo> rules, List<RuleProblem> problems) {
        public boolean ok() {
            return kieBase != null && problems.isEmpty();
        }
    }

    private static final Logger LOG = Logger.getLogger(RuleCompiler.class);
    private static final String RANK = "rank";

    private final RulePolicy policy = new RulePolicy();
    private final boolean namesReversed;

    public RuleCompiler() {
        this(false);
    }

    /** With the last tie-break, the order of rule names, reversed: for the test that no answer depends on it. */
    RuleCompiler(boolean namesReversed) {
        this.namesReversed = namesReversed;
    }

    public Result compile(SortedMap<String, String> drlFiles) {
        if (drlFiles.isEmpty()) {
            return new Result(null, PhraseIndex.EMPTY, List.of(), List.of(new RuleProblem("", 0, 0, "no .drl file found: a rule set needs at least the classify, resolve and advise rules")));
        }
        // Parsed once: the policy checks these descriptors and the compiler builds these same descriptors.
        Map<String, PackageDescr> parsed = new HashMap<>();
        boolean allParsed = true;
        for (Map.Entry<String, String> file : drlFiles.entrySet()) {
            PackageDescr pkg = parseCleanly(file.getKey(), file.getValue());
            parsed.put(file.getKey(), pkg);
            allParsed &= pkg != null;
        }
        List<RuleProblem> refused = policy.check(drlFiles, parsed);
        if (!refused.isEmpty()) {
            return new Result(null, PhraseIndex.EMPTY, List.of(), refused);
        }
        if (!allParsed) {
            return asWritten(drlFiles);
        }
        // First the fast form, with text phrases indexed, file by file, each file's compiled form kept by its text: an
        // edit compiles only what it touched. A set in which some file does not build so is compiled as a whole below,
        // whose errors, compiled again as written, quote what the author wrote.
        java.util.Optional<CompiledUnits.Assembled> units = CompiledUnits.compile(drlFiles, parsed, RuleCompiler::newBuilder);
        if (units.isPresent()) {
            return checked(units.get().kieBase(), units.get().phrases(), drlFiles);
        }
        // The units rewrote some descriptors with the process's phrase numbers; the whole compile numbers its own.
        parsed.replaceAll((path, pkg) -> parseCleanly(path, drlFiles.get(path)));
        PhraseRewriter rewriter = new PhraseRewriter();
        KnowledgeBuilder indexed = newBuilder();
        try {
            for (String path : drlFiles.keySet()) { // in name order: a function must be built before the rules that call it
                PackageDescr pkg = parsed.get(path);
                rewriter.rewrite(pkg);
                indexed.add(ResourceFactory.newDescrResource(pkg), ResourceType.DESCR);
            }
        } catch (RuntimeException e) {
            indexed = null;
        }
        if (indexed != null && !indexed.hasErrors()) {
            return checked(indexed.newKieBase(), new PhraseIndex(rewriter.phrases(), rewriter.phrasesByRule()), drlFiles);
        }
        Result asWritten = asWritten(drlFiles);
        if (asWritten.ok() && indexed != null) {
            // The rewrite broke a rule that builds as written (e.g. the author's own type called DeliveryFact, which has no
            // phrases): serve it as written, slower with the same answers.
            LOG.warnf("the rules build as written but not with their text phrases indexed; serving them unindexed: %s", indexed.getErrors());
        }
        return asWritten;
    }

    /**
     * A set compiled and accepted before, read back from {@link CompiledRuleCache}: its packages put into a new KieBase,
     * which builds the rule network but compiles nothing. Its rules already carry their rank.
     */
    Result restore(CompiledRuleCache.Entry entry) {
        // Drools finds its services (the executor that compiles constraints in the background, among others) once per
        // process, through the context class loader of the thread that first asks. A compile asks for them on the way;
        // a set read back does not, and a process that never compiles (a CLI command on cached rules, whose thread has
        // the system class loader) would find none and fail at the first fact. So they are asked for here, from the
        // application's class loader.
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(RuleCompiler.class.getClassLoader());
        try {
            org.kie.internal.concurrent.ExecutorProviderFactory.getExecutorProvider();
            var kieBase = org.drools.kiesession.rulebase.KnowledgeBaseFactory.newKnowledgeBase(
                    org.drools.core.impl.RuleBaseFactory.newKnowledgeBaseConfiguration(null, CLASSES));
            kieBase.addPackages(entry.packages());
            CompiledUnits.adopt(entry.phrases());
            return new Result(kieBase, new PhraseIndex(entry.phrases(), entry.phrasesByRule()), describe(kieBase), List.of());
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** The class loader compiled rules are defined in, and read back with. */
    static ClassLoader classes() {
        return CLASSES;
    }

    /** A file's descriptors, or null when the parser reports an error (then the compiler reports it, as written). */
    private static PackageDescr parseCleanly(String path, String text) {
        try {
            DrlParser parser = new DrlParser();
            PackageDescr pkg = parser.parse(resource(path, text));
            return pkg == null || parser.hasErrors() ? null : pkg;
        } catch (DroolsParserException | java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The rules as written, checked by the policy first; for tests that compare the two forms. */
    Result compileAsWritten(SortedMap<String, String> drlFiles) {
        List<RuleProblem> refused = policy.check(drlFiles);
        return refused.isEmpty() ? asWritten(drlFiles) : new Result(null, PhraseIndex.EMPTY, List.of(), refused);
    }

    /**
     * The rules exactly as written, phrases unindexed: for reporting errors, and as the reference the fast form must
     * equal. Only for sources the policy has accepted: Drools parses them again, as the policy did.
     */
    private Result asWritten(SortedMap<String, String> drlFiles) {
        List<RuleProblem> problems = new ArrayList<>();
        KnowledgeBuilder builder = newBuilder();
        drlFiles.forEach((path, text) -> {
            try {
                builder.add(resource(path, text), ResourceType.DRL);
            } catch (RuntimeException e) {
                // Some compiler faults surface as exceptions rather than as builder errors.
                problems.add(new RuleProblem(path, 0, 0, String.valueOf(e.getMessage())));
            }
        });
        if (builder.hasErrors()) {
            for (KnowledgeBuilderError error : builder.getErrors()) {
                // Drools adds this after every parse error of a file; the parse error itself says more.
                if (!error.getMessage().contains("Parser returned a null Package")) {
                    problems.addAll(toProblems(error));
                }
            }
            if (problems.isEmpty()) {
                builder.getErrors().forEach(error -> problems.addAll(toProblems(error)));
            }
        }
        if (!problems.isEmpty()) {
            List<RuleProblem> placed = unclosedQuotesFirst(problems, drlFiles);
            placed.sort(Comparator.comparing(RuleProblem::file).thenComparingInt(RuleProblem::line));
            return new Result(null, PhraseIndex.EMPTY, List.of(), List.copyOf(placed));
        }
        // Unindexed, but each rule's phrases are still known, so that a finding's evidence is the same either way.
        PhraseRewriter rewriter = new PhraseRewriter();
        drlFiles.forEach((path, text) -> {
            PackageDescr pkg = parseCleanly(path, text);
            if (pkg != null) {
                rewriter.rewrite(pkg);
            }
        });
        return checked(builder.newKieBase(), new PhraseIndex(List.of(), rewriter.phrasesByRule()), drlFiles);
    }

    /** Every rule must be in one of the pipeline's agenda groups, or it never runs. */
    private Result checked(KieBase kieBase, PhraseIndex phrases, SortedMap<String, String> drlFiles) {
        List<RuleProblem> problems = new ArrayList<>();
        List<RuleInfo> rules = describe(kieBase);
        for (RuleInfo rule : rules) {
            if (!DiagnosisEngine.PHASES.contains(rule.phase()) && !DiagnosisEngine.CHECK_PHASE.equals(rule.phase())) {
                problems.add(new RuleProblem(rule.file(), lineOf(drlFiles.get(rule.file()), rule.name()), 1,
                        "rule '" + rule.name() + "' is in agenda group '" + rule.phase() + "', which never runs; add agenda-group \""
                                + "classify\" (or resolve, advise, symptoms; check for the address check) to the rule"));
            }
        }
        rank(kieBase, rules, drlFiles, problems);
        return problems.isEmpty() ? new Result(kieBase, phrases, rules, List.of()) : new Result(null, phrases, rules, List.copyOf(problems));
    }

    /**
     * Every rule's place in the order that breaks ties between findings of equal specificity (Finding.outranks), kept in
     * its metadata as "rank": the order of rule names, changed only where a rule says it must win over another
     * ({@code @outranks("other rule | another")}): a topological order of those declarations, by name where they leave
     * a choice. A name that is no rule, or declarations that go round in a circle, are problems of the rule set.
     */
    private void rank(KieBase kieBase, List<RuleInfo> rules, SortedMap<String, String> drlFiles, List<RuleProblem> problems) {
        Map<String, RuleInfo> byName = new HashMap<>();
        rules.forEach(r -> byName.put(r.name(), r));
        // The order is built from its end: a rule goes last when every rule it outranks is placed already, so a rule
        // that declares it wins over another moves up to just before it, and everything else keeps the order of names.
        Map<String, java.util.Set<String>> winners = new HashMap<>();
        Map<String, Integer> unplacedLosers = new HashMap<>();
        rules.forEach(r -> unplacedLosers.put(r.name(), 0));
        for (RuleInfo rule : rules) {
            for (String other : dev.bouncedoctor.model.Finding.beatsOf(rule.metadata().get("outranks"))) {
                if (!byName.containsKey(other)) {
                    problems.add(new RuleProblem(rule.file(), lineOf(drlFiles.get(rule.file()), rule.name()), 1, "rule '" + rule.name()
                            + "' outranks '" + other + "', which is no rule of this set; give the exact name of the rule it must win over"));
                } else if (winners.computeIfAbsent(other, k -> new java.util.HashSet<>()).add(rule.name())) {
                    unplacedLosers.merge(rule.name(), 1, Integer::sum);
                }
            }
        }
        Comparator<String> byNames = namesReversed ? Comparator.<String>reverseOrder() : Comparator.<String>naturalOrder();
        java.util.PriorityQueue<String> placeable = new java.util.PriorityQueue<>(byNames.reversed());
        unplacedLosers.forEach((name, count) -> {
            if (count == 0) {
                placeable.add(name);
            }
        });
        List<String> fromTheEnd = new ArrayList<>();
        while (!placeable.isEmpty()) {
            String next = placeable.poll();
            fromTheEnd.add(next);
            for (String winner : winners.getOrDefault(next, java.util.Set.of())) {
                if (unplacedLosers.merge(winner, -1, Integer::sum) == 0) {
                    placeable.add(winner);
                }
            }
        }
        Map<String, Integer> rank = new HashMap<>();
        for (int i = fromTheEnd.size() - 1; i >= 0; i--) {
            rank.put(fromTheEnd.get(i), fromTheEnd.size() - 1 - i);
        }
        if (rank.size() < rules.size()) {
            List<String> circle = rules.stream().map(RuleInfo::name).filter(n -> !rank.containsKey(n)).sorted().toList();
            problems.add(new RuleProblem("", 0, 0, "the @outranks declarations go round in a circle among " + circle + "; one of them must go"));
            return;
        }
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                if (rule instanceof RuleImpl impl) {
                    // Kept with the rule, where Finding.of reads it: the compiled rule set carries its own tie-break order.
                    impl.addMetaAttribute(RANK, rank.get(rule.getName()));
                }
            }
        }
    }

    /** One for the life of the application: what it remembers serves every later compile (see RememberingClassLoader). */
    private static final ClassLoader CLASSES = new RememberingClassLoader(DeliveryFact.class.getClassLoader());

    private static KnowledgeBuilder newBuilder() {
        return KnowledgeBuilderFactory.newKnowledgeBuilder(KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(null, CLASSES));
    }

    private static Resource resource(String path, String text) {
        Resource resource = ResourceFactory.newByteArrayResource(text.getBytes(StandardCharsets.UTF_8));
        resource.setSourcePath(path);
        return resource;
    }

    private static List<RuleInfo> describe(KieBase kieBase) {
        List<RuleInfo> rules = new ArrayList<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                String file = "";
                String phase = "MAIN";
                if (rule instanceof RuleImpl impl) {
                    file = impl.getResource() == null ? "" : impl.getResource().getSourcePath();
                    phase = impl.getAgendaGroup();
                }
                Map<String, Object> metadata = new TreeMap<>();
                // "rank" is the compiler's own (see rank()), not the author's: a set read back from the cache carries it already.
                rule.getMetaData().forEach((key, value) -> {
                    if (!RANK.equals(key)) {
                        metadata.put(simpleKey(key), value);
                    }
                });
                rules.add(new RuleInfo(rule.getName(), rule.getPackageName(), file, phase, metadata));
            }
        }
        rules.sort(Comparator.comparing(RuleInfo::file).thenComparing(RuleInfo::name));
        return List.copyOf(rules);
    }

    /** Drools resolves {@code @description} to the annotation type {@code org.kie.api.definition.type.Description}; authors wrote "description". */
    private static String simpleKey(String key) {
        int dot = key.lastIndexOf('.');
        if (dot < 0) {
            return key;
        }
        String simple = key.substring(dot + 1);
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }

    /**
     * The problems of one compiler error. A consequence that does not compile as Java is reported by Drools at its rule's
     * first line; each of its Java problems is placed at the line of the consequence it is on instead.
     */
    private static List<RuleProblem> toProblems(KnowledgeBuilderError error) {
        if (error instanceof org.drools.compiler.compiler.RuleBuildError build && build.getDescr() instanceof org.drools.drl.ast.descr.RuleDescr rule
                && build.getObject() instanceof org.kie.internal.jci.CompilationProblem[] javaProblems && javaProblems.length > 0) {
            OptionalInt thenLine = ConsequenceLines.javaLineOfThen();
            if (thenLine.isPresent()) {
                String file = error.getResource() == null ? "" : error.getResource().getSourcePath();
                List<RuleProblem> placed = new ArrayList<>();
                for (org.kie.internal.jci.CompilationProblem p : javaProblems) {
                    int line = rule.getConsequenceLine() + p.getStartLine() - thenLine.getAsInt();
                    // Drools rewrites the consequence's text into its Java class, so the Java column says nothing about the
                    // rule's text: the problem is placed at the first word of its line.
                    int column = firstWordColumn(error.getResource(), line);
                    placed.add(new RuleProblem(file, Math.max(line, 1), column, "rule '" + rule.getName() + "', in its consequence (then): " + p.getMessage()));
                }
                return placed;
            }
        }
        return List.of(toProblem(error));
    }

    /**
     * A text in quotes left open makes the parser read on to the next quote, often on a later line, and report what it
     * finds there. When a file's parse errors follow a line whose quotes do not pair up, that line is the mistake: it is
     * reported instead of what the parser stumbled on afterwards.
     */
    private static List<RuleProblem> unclosedQuotesFirst(List<RuleProblem> problems, SortedMap<String, String> drlFiles) {
        List<RuleProblem> out = new ArrayList<>();
        java.util.Set<String> done = new java.util.HashSet<>();
        for (RuleProblem problem : problems) {
            String text = drlFiles.get(problem.file());
            boolean parseError = problem.message().startsWith("[ERR ");
            if (!parseError || text == null) {
                out.add(problem);
                continue;
            }
            if (done.contains(problem.file())) {
                continue; // the file's unclosed quote is reported already
            }
            int firstError = problems.stream().filter(p -> p.file().equals(problem.file()) && p.message().startsWith("[ERR "))
                    .mapToInt(RuleProblem::line).min().orElse(problem.line());
            int[] open = unclosedQuote(text, firstError);
            if (open == null) {
                out.add(problem);
                continue;
            }
            done.add(problem.file());
            out.removeIf(p -> p.file().equals(problem.file()) && p.message().startsWith("[ERR "));
            out.add(new RuleProblem(problem.file(), open[0], open[1], "the text in quotes that starts here is not closed on its line: add the closing \" "
                    + "(the parser read on to the next quote and stopped at line " + firstError + ")"));
        }
        return out;
    }

    /** Line and column of the opening quote of the last line up to {@code lastLine} whose double quotes do not pair up. */
    static int[] unclosedQuote(String text, int lastLine) {
        String[] lines = text.split("\\R", -1);
        boolean inBlockComment = false;
        int[] found = null;
        for (int i = 0; i < Math.min(lastLine, lines.length); i++) {
            String line = lines[i];
            if (line.contains("\"\"\"")) {
                continue; // a Java text block in a consequence spans lines on purpose
            }
            int open = -1;
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (inBlockComment) {
                    if (ch == '*' && c + 1 < line.length() && line.charAt(c + 1) == '/') {
                        inBlockComment = false;
                        c++;
                    }
                } else if (open >= 0) {
                    if (ch == '\\') {
                        c++;
                    } else if (ch == '"') {
                        open = -1;
                    }
                } else if (ch == '"') {
                    open = c;
                } else if (ch == '/' && c + 1 < line.length() && line.charAt(c + 1) == '/') {
                    break;
                } else if (ch == '/' && c + 1 < line.length() && line.charAt(c + 1) == '*') {
                    inBlockComment = true;
                    c++;
                }
            }
            if (open >= 0) {
                found = new int[] {i + 1, open + 1};
                break;
            }
        }
        return found;
    }

    private static int firstWordColumn(Resource resource, int line) {
        try (java.io.InputStream in = resource.getInputStream()) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R", -1);
            if (line >= 1 && line <= lines.length) {
                String text = lines[line - 1];
                return text.length() - text.stripLeading().length() + 1;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the line alone says where to look
        }
        return 1;
    }

    /**
     * Where Drools puts a consequence in the Java class it generates for it, learnt once by compiling a consequence with
     * a known mistake on a known line: the generated class is Drools' own and may change with its version.
     */
    private static final class ConsequenceLines {

        private static final OptionalInt THEN = learn();

        private ConsequenceLines() {
        }

        static OptionalInt javaLineOfThen() {
            return THEN;
        }

        private static OptionalInt learn() {
            String probe = "package probe;\nrule \"probe\"\nwhen\nthen\n    int wrong = \"text\";\nend\n";
            try {
                KnowledgeBuilder builder = newBuilder();
                builder.add(resource("probe.drl", probe), ResourceType.DRL);
                for (KnowledgeBuilderError error : builder.getErrors()) {
                    if (error instanceof org.drools.compiler.compiler.RuleBuildError build
                            && build.getObject() instanceof org.kie.internal.jci.CompilationProblem[] problems && problems.length == 1) {
                        return OptionalInt.of(problems[0].getStartLine() - 1); // the mistake is on the line after 'then'
                    }
                }
            } catch (RuntimeException e) {
                LOG.debugf("consequence line probe failed: %s", e);
            }
            return OptionalInt.empty();
        }
    }

    private static RuleProblem toProblem(KnowledgeBuilderError error) {
        String file = error.getResource() == null ? "" : error.getResource().getSourcePath();
        int line = 0;
        int column = 0;
        if (error instanceof ParserError parser) {
            line = parser.getRow();
            column = parser.getCol() + 1;
        } else if (error instanceof DescrBuildError build) {
            line = build.getLine();
            column = build.getColumn() + 1;
        } else if (error.getLines() != null && error.getLines().length > 0) {
            line = error.getLines()[0];
        }
        return new RuleProblem(file, Math.max(line, 0), Math.max(column, 0), error.getMessage().strip());
    }

    /** The line on which a rule is declared, found in the source because compiled rules do not keep it. */
    static int lineOf(String text, String ruleName) {
        if (text == null) {
            return 0;
        }
        Pattern declaration = Pattern.compile("^\\s*rule\\s+\"?" + Pattern.quote(ruleName) + "\"?");
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            if (declaration.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return 0;
    }
}
