package dev.bouncedoctor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bouncedoctor.diagnosis.MailReports;
import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.preview.RuleComparison;
import dev.bouncedoctor.preview.RulePreview;
import dev.bouncedoctor.mail.BounceMailParser;
import dev.bouncedoctor.model.Conclusion;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.diagnosis.MailReport;
import dev.bouncedoctor.mail.MalformedMailException;
import dev.bouncedoctor.mail.ParsedMail;
import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.engine.CompiledRuleCache;
import dev.bouncedoctor.engine.RuleSetLoader;
import dev.bouncedoctor.engine.RuleSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

/**
 * The jar's commands for rule authors and batch work. They compile the rules directory themselves
 * (no CDI, no HTTP server, no database); results go to {@code out}, diagnostics to {@code err}.
 * Exit codes: 0 done, 1 the rules were refused or a scenario failed, 2 bad usage or unreadable input.
 */
public final class Commands {

    static final Set<String> NAMES = Set.of("diagnose", "classify", "check-rules", "preview", "help", "--help");

    private static final String USAGE = """
            usage: java -jar quarkus-run.jar [command]
              (no command)              serve the HTTP API
              diagnose FILE.eml|-       diagnose one raw mail (- reads standard input); prints {"reports": [...]}
              classify DIR [--passes N] [--threads T]
                                        one line per recipient of every mail under DIR, its
                                        subdirectories included (*.eml, *.mbox/*.mbx, maildir
                                        cur/ and new/ files): path<TAB>index<TAB>reason<TAB>status<TAB>replycode
                                        (--passes N classifies N times in one JVM and logs each pass's time;
                                        --threads T mails at a time, default: the number of processors)
              check-rules [DIR]         compile DIR and run its scenarios; non-zero exit on a problem
              preview DIR [MAILS]       what the rules in DIR would change against those of --rules: every scenario of
                                        DIR and every recipient of the mails under MAILS, diagnosed by both; prints
                                        the changed ones side by side as JSON (as POST /v1/rules/preview)
              keys create|list|revoke   manage API keys in the service's database ("keys" alone for its usage)
              check-addresses FILE…     check files of addresses before sending (one per line, or a CSV with an
                                        email column); prints a CSV with each address's verdict
            options: --rules DIR        the rules directory for diagnose and classify (default: $RULES_DIR, else ./rules)
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final String defaultRulesDir;

    private final CompiledRuleCache cache;

    /** Commands that compile every rules directory they are given. */
    public Commands(PrintStream out, PrintStream err, String defaultRulesDir) {
        this(out, err, defaultRulesDir, null);
    }

    /** Commands that read rule sets accepted before from {@code cache} (null: none) and keep the ones they accept there. */
    public Commands(PrintStream out, PrintStream err, String defaultRulesDir, CompiledRuleCache cache) {
        this.out = out;
        this.err = err;
        this.defaultRulesDir = defaultRulesDir;
        this.cache = cache;
    }

    public static boolean isCommand(String arg) {
        return NAMES.contains(arg);
    }

    public int run(String... args) {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.remove(0);
        String rulesDir = option(rest, "--rules", defaultRulesDir);
        int passes;
        int threads;
        try {
            passes = Integer.parseInt(option(rest, "--passes", "1"));
            threads = Integer.parseInt(option(rest, "--threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        } catch (NumberFormatException e) {
            return usage("--passes and --threads take a whole number");
        }
        try {
            return switch (command) {
                case "diagnose" -> rest.size() == 1 ? diagnose(rest.get(0), rulesDir) : usage("diagnose takes one file, or - for standard input");
                case "classify" -> rest.size() == 1 ? classify(Path.of(rest.get(0)), rulesDir, Math.max(1, passes), Math.max(1, threads))
                        : usage("classify takes one directory");
                case "check-rules" -> rest.size() <= 1 ? checkRules(rest.isEmpty() ? rulesDir : rest.get(0)) : usage("check-rules takes at most one directory");
                case "preview" -> rest.size() == 1 || rest.size() == 2 ? preview(Path.of(rest.get(0)), rest.size() == 2 ? Path.of(rest.get(1)) : null, rulesDir)
                        : usage("preview takes the proposed rules directory and, optionally, a directory of mails");
                default -> usage(null);
            };
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getCause().getMessage());
            return 2;
        }
    }

    private int diagnose(String file, String rulesDir) {
        RuleSetLoader.Result rules = load(rulesDir);
        if (!rules.accepted()) {
            return 1;
        }
        byte[] raw;
        try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
            raw = in.readNBytes(10 * 1024 * 1024);
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        try {
            MailReport report = new MailReports().report(new BounceMailParser().parse(raw), rules.ruleSet()::diagnose);
            out.println(json().writeValueAsString(report));
            return 0;
        } catch (MalformedMailException e) {
            err.println("error: " + file + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int classify(Path dir, String rulesDir, int passes, int threads) {
        if (!Files.isDirectory(dir)) {
            return usage(dir + " is not a directory");
        }
        RuleSetLoader.Result rules = load(rulesDir);
        if (!rules.accepted()) {
            return 1;
        }
        List<MailFile> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> Files.isRegularFile(p) && isMail(p)).sorted()
                    .map(p -> new MailFile(p, dir.relativize(p).toString().replace('\\', '/'))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<List<MailFile>> chunks = new ArrayList<>();
        for (int i = 0; i < files.size(); i += CHUNK) {
            chunks.add(files.subList(i, Math.min(files.size(), i + CHUNK)));
        }
        Classifier diagnosis = new Classifier();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            for (int pass = 1; pass <= passes; pass++) {
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                // Mails are independent; an ordered parallel stream keeps the output in file order.
                List<FileResult> results = pool.submit(() -> chunks.parallelStream()
                        .flatMap(chunk -> classifyChunk(diagnosis, chunk, rules.ruleSet()).stream()).toList()).join();
                double millis = (System.nanoTime() - start) / 1e6;
                double cpuMillis = (processCpuNanos() - cpuStart) / 1e6;
                int recipients = results.stream().mapToInt(FileResult::recipients).sum();
                if (pass == passes) {
                    results.forEach(r -> out.print(r.lines()));
                    out.flush();
                    results.stream().filter(r -> r.note() != null).forEach(r -> err.println(r.note()));
                }
                err.printf("classify pass %d/%d: %d files, %d recipients in %.0f ms wall, %.0f ms process CPU, %d thread(s) (%.0f mails/s)%n",
                        pass, passes, files.size(), recipients, millis, cpuMillis, threads, files.size() / (millis / 1000));
            }
        } finally {
            pool.shutdown();
        }
        return 0;
    }

    private int preview(Path proposedDir, Path mails, String rulesDir) {
        if (!Files.isDirectory(proposedDir) || (mails != null && !Files.isDirectory(mails))) {
            return usage("preview takes directories: the proposed rules, and the mails");
        }
        RuleSetLoader loader = new RuleSetLoader();
        RuleSetLoader.Candidate serving = loader.candidate(RuleSources.read(Path.of(rulesDir)));
        if (serving.ruleSet() == null) {
            err.println("the rules of " + rulesDir + " do not compile:");
            serving.problems().forEach(p -> err.println("  " + p));
            return 1;
        }
        RuleSetLoader.Candidate proposed = loader.candidate(RuleSources.read(proposedDir));
        RulePreview preview;
        if (proposed.ruleSet() == null) {
            preview = new RulePreview(false, null, proposed.problems(), null, null, null);
        } else {
            RuleComparison compare = new RuleComparison(serving.ruleSet(), proposed.ruleSet(), Integer.MAX_VALUE);
            List<Path> files = List.of();
            if (mails != null) {
                try (Stream<Path> walk = Files.walk(mails)) {
                    files = walk.filter(p -> Files.isRegularFile(p) && isMail(p)).sorted().toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            preview = new RulePreview(true, proposed.ruleSet().version(), proposed.problems(), compare.scenarios(proposed.scenarios()), null,
                    mails == null ? null : compare.mails(files));
        }
        try {
            out.println(json().writerWithDefaultPrettyPrinter().writeValueAsString(preview));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return preview.compiled() ? 0 : 1;
    }

    private record FileResult(String lines, int recipients, String note) {
    }

    /** A mail file found under the directory, named by its path below it (so a tree's files keep distinct names). */
    private record MailFile(Path path, String name) {
    }

    /**
     * What classify reads in a directory tree: *.eml files, mbox files (*.mbox, *.mbx; the parser reads each message),
     * and the messages of a maildir (any file directly in a cur/ or new/ directory); hidden files never.
     */
    static boolean isMail(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
            return false;
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".eml") || lower.endsWith(".mbox") || lower.endsWith(".mbx")) {
            return true;
        }
        Path parent = file.getParent();
        String dirName = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        return dirName.equals("cur") || dirName.equals("new");
    }

    /**
     * Mails per task. A task parses all its mails, then finds the phrases of all their facts, then runs them: the parser,
     * the phrase automaton and the rule network each keep the CPU caches for a while, instead of taking turns at every
     * mail (about 15% faster than mail by mail). 64 rather than 32 since the automaton: its first touches per task are
     * cache misses (on the corpus, 2 threads: 37-47 ms a pass against 39-55 ms).
     */
    private static final int CHUNK = 64;

    /** Parses mails without their dates (the classify rules never read one) and turns their recipients into inputs. */
    private static final class Classifier {
        final BounceMailParser parser = BounceMailParser.withoutDates();
        final MailReports reports = new MailReports();
    }

    private static List<FileResult> classifyChunk(Classifier classifier, List<MailFile> files, RuleSet rules) {
        FileResult[] results = new FileResult[files.size()];
        ParsedMail[] mails = new ParsedMail[files.size()];
        List<DiagnosisInput> inputs = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i).name();
            try {
                mails[i] = classifier.parser.parse(Files.readAllBytes(files.get(i).path()));
                inputs.addAll(classifier.reports.inputs(mails[i]));
            } catch (MalformedMailException e) {
                results[i] = new FileResult("", 0, name + ": " + e.getMessage());
            } catch (IOException e) {
                results[i] = new FileResult("", 0, name + ": cannot read: " + e.getMessage());
            }
        }
        Iterator<DiagnosisInput> input = inputs.iterator();
        Iterator<Conclusion> conclusion = rules.classifyAll(inputs).iterator();
        for (int i = 0; i < files.size(); i++) {
            if (mails[i] != null) {
                results[i] = result(files.get(i).name(), mails[i], input, conclusion);
            }
        }
        return List.of(results);
    }

    /** The mail's lines: one per recipient, each taking the next input and its conclusion. */
    private static FileResult result(String name, ParsedMail mail, Iterator<DiagnosisInput> inputs, Iterator<Conclusion> conclusions) {
        StringBuilder lines = new StringBuilder();
        int index = 0;
        for (int r = 0; r < mail.recipients().size(); r++) {
            DeliveryFact fact = inputs.next().fact();
            String reason = conclusions.next().reason();
            index++;
            lines.append(name).append('\t').append(index).append('\t').append(reason).append('\t')
                    .append(blank(fact.enhancedCode())).append('\t').append(blank(fact.smtpCode())).append('\n');
        }
        return new FileResult(lines.toString(), index, index == 0 ? name + ": " + mail.detail() : null);
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private int checkRules(String rulesDir) {
        RuleSetLoader.Result result = load(rulesDir);
        if (result.accepted()) {
            out.println("ok: " + rulesDir + " version " + result.version() + ", " + result.rules().size() + " rules, "
                    + result.scenarios() + " scenarios passed");
            return 0;
        }
        return 1;
    }

    /**
     * The last rule set this process loaded: a process that runs several commands over the same rules (the test suite
     * does) compiles them once. Keyed by the sources' version, so any edit is loaded afresh.
     */
    private static volatile RuleSetLoader.Result lastLoaded;

    /** Loads a rules directory and prints its problems (file:line:column: message) on standard output. */
    private RuleSetLoader.Result load(String rulesDir) {
        RuleSources sources = RuleSources.read(Path.of(rulesDir));
        RuleSetLoader.Result last = lastLoaded;
        RuleSetLoader.Result result = last != null && last.version().equals(sources.version()) ? last : new RuleSetLoader(cache).load(sources);
        lastLoaded = result;
        if (!result.accepted()) {
            out.println("refused: " + rulesDir + " has " + result.problems().size() + " problem(s); "
                    + result.scenariosFailed() + " of " + result.scenarios() + " scenarios failed");
            for (RuleProblem p : result.problems()) {
                out.println(p.file() + ":" + p.line() + ":" + p.column() + ": " + p.message());
            }
        }
        return result;
    }

    private int usage(String problem) {
        if (problem != null) {
            err.println("error: " + problem);
        }
        err.print(USAGE);
        return problem == null ? 0 : 2;
    }

    private static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size()) {
            return fallback;
        }
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return value;
    }

    private static String blank(Object value) {
        return value == null ? "" : value.toString();
    }

    private static ObjectMapper json() {
        return new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
