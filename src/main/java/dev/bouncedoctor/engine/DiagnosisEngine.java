package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.AddressAssessment;
import dev.bouncedoctor.model.AddressFacts;
import dev.bouncedoctor.model.AddressSuggestion;
import dev.bouncedoctor.model.AddressVerdict;
import dev.bouncedoctor.model.Advice;
import dev.bouncedoctor.model.Conclusion;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.Finding;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.EventStatus;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.RecipientVerdict;
import dev.bouncedoctor.model.RequestBudget;
import dev.bouncedoctor.model.Vocabulary;
import dev.bouncedoctor.model.WorkAbandonedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;

/**
 * Runs one normalised fact (and whatever context facts come with it) through a compiled rule set:
 * classify → resolve → advise → symptoms, one agenda group each. The fact goes in with the rule set's
 * text phrases already found ({@link PhraseIndex}). Holds no state, so any number of threads may share
 * it; every run gets its own session, fresh or reset from a pool.
 */
final class DiagnosisEngine {

    /** The pipeline's agenda groups, in the order they run. */
    public static final List<String> PHASES = List.of("classify", "resolve", "advise", "symptoms");
    /** The phases that check an address before sending: the typo table runs in classify. */
    static final String CHECK_PHASE = "check";
    private static final List<String> CHECK_PHASES = List.of("classify", CHECK_PHASE);
    /** The phases that decide the reason. */
    private static final List<String> CLASSIFY_PHASES = PHASES.subList(0, 2);

    /** A rule set that fires more often than this for one fact is looping; stop it rather than hang. */
    static final int MAX_FIRINGS = 10_000;
    /**
     * And one that works longer than this on one fact is stopped between two firings. Counted in the thread's CPU time,
     * not by the clock: a fact takes about a millisecond, but the first facts after a compile also build the rule
     * network, which on a machine busy with other work took over 5 s by the clock (the soak run refused sound rule sets
     * that way); the CPU time is the work itself.
     */
    static final long MAX_MILLIS = 10_000;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Read at each run, so that a test can lower it. */
    static final String MAX_MILLIS_PROPERTY = "bouncedoctor.rules.max-millis-per-fact";

    /** One run on a pooled session: a rule set answers many facts, and a reset session is cheaper than a new one. */
    DiagnosisReport run(KieSessionsPool sessions, PhraseIndex phrases, Vocabulary vocabulary, DiagnosisReport.RuleSetRef ruleSet,
                        DeliveryFact fact, Collection<?> context) {
        KieSession session = sessions.newKieSession();
        FiredRules fired = new FiredRules();
        boolean unknown = false;
        try {
            session.addEventListener(fired);
            RecipientVerdict verdict = new RecipientVerdict();
            fire(session, PHASES, phrases.index(fact), verdict, context, fired::last);
            List<Advice> advice = new ArrayList<>();
            String suggested = null;
            EventStatus status = null;
            for (Object o : session.getObjects(o -> o instanceof Advice || o instanceof Finding || o instanceof AddressSuggestion
                    || o instanceof EventStatus)) {
                if (o instanceof Advice a) {
                    require(vocabulary, a);
                    advice.add(a);
                } else if (o instanceof AddressSuggestion s) {
                    suggested = s.address();
                } else if (o instanceof EventStatus e) {
                    refuseIf(vocabulary.refusal("status", vocabulary.statuses(), e.status()), "the status rule '" + e.because() + "'");
                    status = e;
                } else {
                    require(vocabulary, (Finding) o);
                }
            }
            require(vocabulary, verdict);
            if (fact.status() != null && status == null) {
                unknown = true;
                throw new InvalidFactException(List.of(new InvalidFactException.FieldError("status", "'" + fact.status()
                        + "' is not a status the rules know; send one of " + new java.util.TreeSet<>(vocabulary.statuses())
                        + " or a provider's own event name that rules/classify/event-names.csv maps, or leave it out")));
            }
            if (advice.isEmpty()) {
                throw new RuleSetDefectException("the rules gave no diagnosis; the resolve rules must conclude 'undefined' when nothing matched and the advise rules must answer every reason");
            }
            advice.sort(Comparator.comparing(Advice::isPrimary).reversed()
                    .thenComparing((a, b) -> a == b ? 0 : a.getConclusion().finding().outranks(b.getConclusion().finding()) ? -1 : 1));
            List<Diagnosis> diagnoses = new ArrayList<>(advice.size());
            for (Advice a : advice) {
                diagnoses.add(a.toDiagnosis());
            }
            return new DiagnosisReport(fact, List.copyOf(diagnoses), fired.names(), ruleSet, suggested, verdict, status == null ? null : status.status());
        } catch (RuntimeException | StackOverflowError e) {
            if (unknown) {
                // The client's word, not a defect of the rules.
                throw e;
            }
            throw asDefect(e, fact);
        } finally {
            // A pooled session keeps its listeners across uses; this run's must not see the next one's firings.
            session.removeEventListener(fired);
            session.dispose();
        }
    }

    /**
     * The primary conclusion alone: the classify and resolve phases, no advice. For batch classification, which prints
     * only the reason; a full {@link #run} gives the same primary reason and everything else.
     */
    Conclusion classify(KieSessionsPool sessions, PhraseIndex phrases, Vocabulary vocabulary, DeliveryFact fact, Collection<?> context) {
        KieSession session = sessions.newKieSession();
        try {
            fire(session, CLASSIFY_PHASES, phrases.index(fact), new RecipientVerdict(), context, () -> "?");
            Conclusion primary = null;
            for (Object o : session.getObjects(o -> o instanceof Finding || o instanceof Conclusion c && c.primary())) {
                if (o instanceof Finding f) {
                    require(vocabulary, f);
                } else {
                    primary = (Conclusion) o;
                }
            }
            if (primary != null) {
                return primary;
            }
            throw new RuleSetDefectException("the rules reached no primary conclusion; the resolve rules must conclude 'undefined' when nothing matched");
        } catch (RuntimeException | StackOverflowError e) {
            throw asDefect(e, fact);
        } finally {
            session.dispose();
        }
    }

    /**
     * Whether to send to an address: the classify phase (the mailbox-domain table and the typo rule) and the check
     * phase, over the address's facts and its history in the mail log.
     */
    AddressAssessment check(KieSessionsPool sessions, PhraseIndex phrases, Vocabulary vocabulary, DeliveryFact fact, Collection<?> context,
                            AddressFacts address) {
        KieSession session = sessions.newKieSession();
        FiredRules fired = new FiredRules();
        try {
            session.addEventListener(fired);
            AddressVerdict verdict = new AddressVerdict();
            List<Object> facts = new ArrayList<>(context);
            facts.add(address);
            facts.add(verdict);
            fire(session, CHECK_PHASES, phrases.index(fact), new RecipientVerdict(), facts, fired::last);
            AddressSuggestion suggestion = null;
            for (Object o : session.getObjects(o -> o instanceof AddressSuggestion)) {
                suggestion = (AddressSuggestion) o;
            }
            if (verdict.getVerdict() == null) {
                throw new RuleSetDefectException("the check rules gave no verdict; rules/check/ must end with a rule that decides when no other did");
            }
            refuseIf(vocabulary.refusal("verdict", vocabulary.verdicts(), verdict.getVerdict()), "rule '" + verdict.getRule() + "'");
            return new AddressAssessment(verdict.getVerdict(), verdict.getBecause(), verdict.getRule(), suggestion, fired.names());
        } catch (RuntimeException | StackOverflowError e) {
            throw asDefect(e, fact);
        } finally {
            session.removeEventListener(fired);
            session.dispose();
        }
    }

    /** The names of the rules a run fires, in order; removed from the pooled session after the run. */
    private static final class FiredRules extends DefaultAgendaEventListener {
        private final Set<String> names = new LinkedHashSet<>();

        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            names.add(event.getMatch().getRule().getName());
        }

        List<String> names() {
            return List.copyOf(names);
        }

        String last() {
            return names.stream().reduce((a, b) -> b).orElse("?");
        }
    }

    private static void fire(KieSession session, List<String> phases, DeliveryFact fact, RecipientVerdict verdict, Collection<?> context,
                             Supplier<String> lastFired) {
        // Between two facts of a batch, too.
        RequestBudget.check();
        session.insert(fact);
        session.insert(verdict);
        context.forEach(session::insert);
        // The focus is a stack: push the last phase first so that classify runs first.
        for (int i = phases.size() - 1; i >= 0; i--) {
            session.getAgenda().getAgendaGroup(phases.get(i)).setFocus();
        }
        long limit = Long.getLong(MAX_MILLIS_PROPERTY, MAX_MILLIS);
        long deadline = THREADS.getCurrentThreadCpuTime() + limit * 1_000_000;
        boolean[] late = {false};
        int[] seen = {0};
        int firings = session.fireAllRules(match -> {
            // The CPU clock is a system call: read at every eighth firing (a fact fires a few dozen rules).
            if ((seen[0]++ & 7) == 0) {
                if (THREADS.getCurrentThreadCpuTime() - deadline > 0) {
                    late[0] = true;
                }
                // The request's own time, and whether its client still waits: thrown out of the engine as it is.
                RequestBudget.check();
            }
            return !late[0];
        }, MAX_FIRINGS);
        if (late[0]) {
            throw new RuleSetDefectException.TooSlow("the rules worked over " + limit + " ms (CPU) on one fact and were stopped after "
                    + firings + " firings (last fired: " + lastFired.get() + ")");
        }
        if (firings >= MAX_FIRINGS) {
            throw new RuleSetDefectException.Looping("the rules fired " + firings + " times for one fact and were stopped; a rule probably re-triggers itself (last fired: "
                    + lastFired.get() + ")");
        }
    }

    // The words a rule writes are checked once its session is done, against the rule set's own vocabulary: a typo is
    // a defect of the rule set, named with the rule that wrote it, and never reaches a client.

    private static void require(Vocabulary vocabulary, Finding finding) {
        refuseIf(vocabulary.refusal("reason", vocabulary.reasons(), finding.reason()), "rule '" + finding.rule() + "'");
    }

    private static void require(Vocabulary vocabulary, Advice advice) {
        String by = "the advice of rule '" + advice.getRule() + "' (or a rule that modified it)";
        refuseIf(vocabulary.refusal("category", vocabulary.categories(), advice.getCategory()), by);
        refuseIf(vocabulary.refusal("retry", vocabulary.retries(), advice.getRetry()), by);
    }

    private static void require(Vocabulary vocabulary, RecipientVerdict verdict) {
        if (verdict.getSuppressReason() != null) {
            refuseIf(vocabulary.refusal("reason", vocabulary.reasons(), verdict.getSuppressReason()), "a symptom rule's verdict");
        }
        if (verdict.getLogStatus() != null) {
            refuseIf(vocabulary.refusal("status", vocabulary.statuses(), verdict.getLogStatus()), "a symptom rule's verdict");
        }
    }

    private static void refuseIf(String refusal, String by) {
        if (refusal != null) {
            throw new RuleSetDefectException(refusal + "; written by " + by);
        }
    }

    /** A consequence threw (a word outside the vocabulary, a bad duration, …): name the rule set, not the JVM. */
    private static RuntimeException asDefect(Throwable e, DeliveryFact fact) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WorkAbandonedException abandoned) {
                return abandoned;
            }
        }
        return e instanceof RuleSetDefectException defect ? defect.about(fact) : new RuleSetDefectException(rootMessage(e), e, fact);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof StackOverflowError) {
            // Java's regular expressions recurse per repetition: a rule's 'matches' can run out of stack on a long text.
            return "a rule ran out of stack on this input (a regular expression that repeats a group, matching a long text?)";
        }
        String where = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return t.getMessage() + (where.isEmpty() || where.equals(t.getMessage()) ? "" : " (" + where + ")");
    }
}
