package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.AddressAssessment;
import dev.bouncedoctor.model.AddressFacts;
import dev.bouncedoctor.model.AddressSuggestion;
import dev.bouncedoctor.model.Conclusion;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.DiagnosisReport;
import dev.bouncedoctor.model.RuleInfo;
import dev.bouncedoctor.model.Vocabulary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSessionsPool;

/**
 * A compiled rule set, and the one way into the engine: {@link #diagnose} and {@link #classify} take a
 * {@link DiagnosisInput} whose fact has been normalised ({@link Normaliser}). Immutable, shared by every request that
 * starts while it serves; its session pool goes with it, so a swap never hands out a session of the old set.
 */
public record RuleSet(String version, Instant loadedAt, List<String> files, List<RuleInfo> rules, int scenarios, KieBase kieBase,
                      PhraseIndex phrases, Vocabulary vocabulary, KieSessionsPool sessions) {

    /** Sessions kept ready at first; the pool grows with the number of concurrent requests. */
    private static final int INITIAL_SESSIONS = 4;
    private static final DiagnosisEngine ENGINE = new DiagnosisEngine();

    public RuleSet(String version, Instant loadedAt, List<String> files, List<RuleInfo> rules, int scenarios, KieBase kieBase, PhraseIndex phrases,
                   Vocabulary vocabulary) {
        this(version, loadedAt, files, rules, scenarios, kieBase, phrases, vocabulary, kieBase.newKieSessionsPool(INITIAL_SESSIONS));
    }

    public DiagnosisReport.RuleSetRef ref() {
        return new DiagnosisReport.RuleSetRef(version, loadedAt);
    }

    /** Every phase: the reason, the advice, and for the mail log the recipient's verdict. */
    public DiagnosisReport diagnose(DiagnosisInput input) {
        return ENGINE.run(sessions, phrases, vocabulary, ref(), input.fact(), input.context());
    }

    /** The same with further facts in the session: for tests of the knowledge that force a finding. */
    DiagnosisReport diagnose(DiagnosisInput input, Collection<?> more) {
        List<Object> context = new ArrayList<>(input.context());
        context.addAll(more);
        return ENGINE.run(sessions, phrases, vocabulary, ref(), input.fact(), context);
    }

    /** Whether to send to the input's recipient, from the address's facts and the history in the input. */
    public AddressAssessment check(DiagnosisInput input, AddressFacts address) {
        return ENGINE.check(sessions, phrases, vocabulary, input.fact(), input.context(), address);
    }

    /** The primary reason only (classify and resolve, no advice): what batch classification needs. */
    public Conclusion classify(DiagnosisInput input) {
        return ENGINE.classify(sessions, phrases, vocabulary, input.fact(), input.context());
    }

    /**
     * {@link #classify} for many inputs, in two rounds: first every fact has its phrases found, then every fact goes
     * through the rules. Each round keeps its own data (the phrase automaton, the rule network) in the CPU caches instead
     * of evicting the other's at every fact.
     */
    public List<Conclusion> classifyAll(List<DiagnosisInput> inputs) {
        List<DeliveryFact> indexed = new ArrayList<>(inputs.size());
        for (DiagnosisInput input : inputs) {
            indexed.add(phrases.index(input.fact()));
        }
        List<Conclusion> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            out.add(ENGINE.classify(sessions, phrases, vocabulary, indexed.get(i), inputs.get(i).context()));
        }
        return out;
    }
}
