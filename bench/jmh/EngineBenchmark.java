package dev.bouncedoctor.bench;

import dev.bouncedoctor.diagnosis.MailReports;
import dev.bouncedoctor.engine.RuleSet;
import dev.bouncedoctor.engine.RuleSetLoader;
import dev.bouncedoctor.engine.RuleSources;
import dev.bouncedoctor.mail.BounceMailParser;
import dev.bouncedoctor.mail.MalformedMailException;
import dev.bouncedoctor.model.DiagnosisInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine alone, on one thread (so per core): the full rule set of rules/ diagnosing the facts of every recipient
 * of the Sisimai corpus mails, one after the other, as the service does for a request (every phase, advice included)
 * and as batch classification does (classify and resolve only). No HTTP, no JSON, no database. Run by bench/engine.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@Threads(1)
public class EngineBenchmark {

    private RuleSet rules;
    private List<DiagnosisInput> facts;
    private int next;

    @Setup(Level.Trial)
    public void load() throws IOException {
        RuleSetLoader.Result loaded = new RuleSetLoader().load(RuleSources.read(Path.of(System.getProperty("rules", "rules"))));
        if (!loaded.accepted()) {
            throw new IllegalStateException("the rules were refused: " + loaded.problems());
        }
        rules = loaded.ruleSet();
        facts = new ArrayList<>();
        MailReports reports = new MailReports();
        try (Stream<Path> mails = Files.list(Path.of(System.getProperty("corpus", "src/test/resources/corpus/sisimai/maildir/bsd")))) {
            for (Path mail : mails.filter(p -> p.toString().endsWith(".eml")).sorted().toList()) {
                try {
                    facts.addAll(reports.inputs(new BounceMailParser().parse(Files.readAllBytes(mail))));
                } catch (MalformedMailException e) {
                    // a mail the parser refuses gives no fact; the service answers it with a 400
                }
            }
        }
        System.out.printf("%n%d rules, %d facts from the corpus mails%n", loaded.rules().size(), facts.size());
    }

    private DiagnosisInput nextFact() {
        DiagnosisInput fact = facts.get(next);
        next = next + 1 == facts.size() ? 0 : next + 1;
        return fact;
    }

    /** A fact through every phase: what POST /v1/diagnoses costs in the engine. */
    @Benchmark
    public Object diagnose() {
        return rules.diagnose(nextFact());
    }

    /** A fact through classify and resolve only: what classify (the CLI) costs per recipient. */
    @Benchmark
    public Object classify() {
        return rules.classify(nextFact());
    }
}
