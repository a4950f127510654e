package dev.bouncedoctor.rules;

import dev.bouncedoctor.diagnosis.DiagnosisReport;
import dev.bouncedoctor.diagnosis.PhraseIndex;
import java.time.Instant;
import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSessionsPool;

/**
 * A compiled rule set whose scenarios all passed: immutable, shared by every request that starts
 * while it is current. Its session pool goes with it, so a swap never hands out a session of the old set.
 */
public record RuleSet(String version, Instant loadedAt, List<String> files, List<RuleInfo> rules, int scenarios, KieBase kieBase,
                      PhraseIndex phrases, KieSessionsPool sessions) {

    /** Sessions kept ready at first; the pool grows with the number of concurrent requests. */
    private static final int INITIAL_SESSIONS = 4;

    public RuleSet(String version, Instant loadedAt, List<String> files, List<RuleInfo> rules, int scenarios, KieBase kieBase, PhraseIndex phrases) {
        this(version, loadedAt, files, rules, scenarios, kieBase, phrases, kieBase.newKieSessionsPool(INITIAL_SESSIONS));
    }

    public DiagnosisReport.RuleSetRef ref() {
        return new DiagnosisReport.RuleSetRef(version, loadedAt);
    }
}
