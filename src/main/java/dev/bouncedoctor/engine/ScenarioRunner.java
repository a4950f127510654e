package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.model.AddressAssessment;
import dev.bouncedoctor.model.AddressFacts;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.RecipientHistory;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.InvalidFactException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Runs scenarios against a compiled rule set; the same checks serve {@code mvn verify} and every reload. */
public final class ScenarioRunner {

    /** @param rulesFired what fired for the case, so that a suite can tell which rules no case exercises */
    public record Outcome(Scenario scenario, List<String> failures, List<String> rulesFired, boolean looped) {
        public Outcome(Scenario scenario, List<String> failures, List<String> rulesFired) {
            this(scenario, failures, rulesFired, false);
        }

        public boolean passed() {
            return failures.isEmpty();
        }

        public RuleProblem asProblem() {
            return new RuleProblem(scenario.file(), scenario.line(), 1, "scenario '" + scenario.name() + "' failed: " + String.join("; ", failures));
        }
    }

    private final Normaliser normaliser = new Normaliser();

    /**
     * What a diagnosis case puts to the rules (its fact, normalised, with its mail and history); null for a case that
     * checks an address. Throws InvalidFactException for a case whose fact is invalid.
     */
    public DiagnosisInput input(Scenario scenario) {
        if (scenario.check() != null) {
            return null;
        }
        DeliveryFact fact = normaliser.normalise(scenario.fact());
        RecipientHistory history = null;
        if (scenario.context() != null) {
            if (fact.occurredAt() == null) {
                fact = new DeliveryFact(fact.recipient(), fact.sender(), fact.provider(), fact.status(), fact.smtpCode(),
                        fact.enhancedCode(), fact.message(), fact.errorCode(), Scenario.Context.NOW);
            }
            String address = fact.recipient() == null ? "customer@example.com" : fact.recipient();
            history = scenario.context().history(address, fact.occurredAt());
        }
        return new DiagnosisInput(fact, scenario.mail(), history);
    }

    /** One case against a candidate rule set, through the same entry the service uses. */
    public Outcome run(RuleSet rules, Scenario scenario) {
        if (scenario.check() != null) {
            return runCheck(rules, scenario);
        }
        List<String> failures = new ArrayList<>();
        DiagnosisReport report;
        try {
            report = rules.diagnose(input(scenario));
        } catch (InvalidFactException e) {
            return new Outcome(scenario, List.of("the fact is invalid: " + e.getMessage()), List.of());
        } catch (RuleSetDefectException.Looping e) {
            return new Outcome(scenario, List.of("the rules failed: " + e.getMessage()), List.of(), true);
        } catch (RuleSetDefectException e) {
            return new Outcome(scenario, List.of("the rules failed: " + e.getMessage()), List.of());
        }
        Diagnosis primary = report.primary();
        Scenario.Expectation expect = scenario.expect();
        check(failures, "reason", expect.reason(), primary.reason());
        check(failures, "category", expect.category(), primary.category());
        check(failures, "retry", expect.retry(), primary.retry());
        check(failures, "suppress", expect.suppress(), primary.suppress());
        check(failures, "retryAfter", expect.retryAfter(), primary.retryAfter());
        check(failures, "rule", expect.rule(), primary.rule());
        check(failures, "flagged", expect.flagged(), report.verdict().getFlagged());
        check(failures, "listed", expect.listed(), expect.listed() == null ? null : report.verdict().isSuppress());
        check(failures, "logStatus", expect.logStatus(), report.verdict().getLogStatus());
        check(failures, "status", expect.status(), report.eventStatus());
        check(failures, "suppressedBy", expect.suppressedBy(), report.verdict().getSuppressedBy());
        if (expect.fired() != null && !report.rulesFired().contains(expect.fired())) {
            failures.add("expected rule '" + expect.fired() + "' to fire; fired: " + report.rulesFired());
        }
        if (expect.reasons() != null) {
            List<String> reasons = report.diagnoses().stream().map(d -> d.reason()).toList();
            if (!expect.reasons().equals(reasons)) {
                failures.add("expected the diagnoses " + expect.reasons() + " but they are " + reasons);
            }
        }
        if (expect.evidence() != null && !expect.evidence().equals(primary.evidence())) {
            failures.add("expected the evidence '" + expect.evidence() + "' but it is '" + primary.evidence() + "'");
        }
        if (expect.titleContains() != null && (primary.title() == null || !primary.title().contains(expect.titleContains()))) {
            failures.add("expected the title to contain '" + expect.titleContains() + "' but it is '" + primary.title() + "'");
        }
        if (expect.stepsContain() != null && primary.steps().stream().noneMatch(step -> step.contains(expect.stepsContain()))) {
            failures.add("expected a step containing '" + expect.stepsContain() + "' but the steps are " + primary.steps());
        }
        if (expect.suggests() != null && !expect.suggests().equals(report.suggestedAddress() == null ? "" : report.suggestedAddress())) {
            failures.add("expected the suggested address '" + expect.suggests() + "' but it is '"
                    + (report.suggestedAddress() == null ? "" : report.suggestedAddress()) + "'");
        }
        // Whatever the expectation, a diagnosis must tell the reader what to do.
        for (Diagnosis d : report.diagnoses()) {
            if (d.steps().isEmpty() || d.title() == null || d.title().isBlank()) {
                failures.add("the diagnosis for '" + d.reason() + "' has no title or no steps");
            }
        }
        if (!failures.isEmpty()) {
            failures.add("(found by rule '" + primary.rule() + "' on evidence '" + primary.evidence() + "')");
        }
        return new Outcome(scenario, failures, report.rulesFired());
    }

    /** A check case: the fact's recipient (and its history in the context) checked before sending, as of {@link Scenario.Context#NOW}. */
    private Outcome runCheck(RuleSet rules, Scenario scenario) {
        List<String> failures = new ArrayList<>();
        AddressAssessment assessment;
        try {
            DeliveryFact given = scenario.fact();
            DeliveryFact fact = new DeliveryFact(given.recipient(), given.sender(), null, null, null, null, null, null,
                    given.occurredAt() == null ? Scenario.Context.NOW : given.occurredAt());
            String address = fact.recipient() == null ? "customer@example.com" : fact.recipient();
            RecipientHistory history = scenario.context() == null ? null : scenario.context().history(address, fact.occurredAt());
            AddressFacts check = scenario.check();
            assessment = rules.check(new DiagnosisInput(fact, null, history), new AddressFacts(address, check.malformed(), check.mailHost(), check.dnsDetail()));
        } catch (RuleSetDefectException.Looping e) {
            return new Outcome(scenario, List.of("the rules failed: " + e.getMessage()), List.of(), true);
        } catch (RuleSetDefectException e) {
            return new Outcome(scenario, List.of("the rules failed: " + e.getMessage()), List.of());
        }
        Scenario.Expectation expect = scenario.expect();
        check(failures, "verdict", expect.verdict(), assessment.verdict());
        if (expect.because() != null && (assessment.because() == null || !assessment.because().contains(expect.because()))) {
            failures.add("expected the verdict's reason to contain '" + expect.because() + "' but it is '" + assessment.because() + "'");
        }
        String suggested = assessment.suggestion() == null ? "" : assessment.suggestion().address();
        if (expect.suggests() != null && !expect.suggests().equals(suggested)) {
            failures.add("expected the suggested address '" + expect.suggests() + "' but it is '" + suggested + "'");
        }
        if (expect.fired() != null && !assessment.rulesFired().contains(expect.fired())) {
            failures.add("expected rule '" + expect.fired() + "' to fire; fired: " + assessment.rulesFired());
        }
        return new Outcome(scenario, failures, assessment.rulesFired());
    }

    /** The scenarios run side by side on this many threads: a validation's wait is mostly this run. */
    private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /**
     * Every scenario's outcome, in the scenarios' order; fewer when the run was stopped: the calling thread interrupted
     * (a validation past its time limit is cancelled so), or rules that loop (each further case would spend the whole
     * firing limit too).
     */
    public List<Outcome> runAll(RuleSet rules, List<Scenario> scenarios) {
        int threads = Math.min(THREADS, Math.max(1, scenarios.size() / 50));
        Outcome[] done = new Outcome[scenarios.size()];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        // Threads of our own, with the application's class loader as their context loader: Drools finds its runtime
        // through it, and common-pool threads carry whichever loader was current when they were made (under Quarkus,
        // a test's or a dev-mode reload's), which breaks Drools for the whole JVM.
        ClassLoader loader = ScenarioRunner.class.getClassLoader();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < done.length && !stop.get(); i = next.getAndIncrement()) {
                    Outcome outcome = run(rules, scenarios.get(i));
                    done[i] = outcome;
                    if (outcome.looped()) {
                        stop.set(true);
                    }
                }
            }, "scenarios-" + t);
            worker.setContextClassLoader(loader);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
        }
        List<Outcome> outcomes = new ArrayList<>(done.length);
        for (Outcome outcome : done) {
            if (outcome == null) {
                break; // stopped: the cases up to the first one not run
            }
            outcomes.add(outcome);
            if (outcome.looped()) {
                break;
            }
        }
        return outcomes;
    }

    private static void check(List<String> failures, String what, Object expected, Object actual) {
        if (expected != null && !Objects.equals(expected, actual)) {
            failures.add("expected " + what + " '" + expected + "' but got '" + actual + "'");
        }
    }
}
