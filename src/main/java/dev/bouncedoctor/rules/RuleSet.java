package dev.bouncedoctor.rules;

import dev.bouncedoctor.diagnosis.DiagnosisReport;
import java.time.Instant;
import java.util.List;
import org.kie.api.KieBase;

/** A compiled rule set whose scenarios all passed: immutable, shared by every request that starts while it is current. */
public record RuleSet(String version, Instant loadedAt, List<String> files, List<RuleInfo> rules, int scenarios, KieBase kieBase) {

    public DiagnosisReport.RuleSetRef ref() {
        return new DiagnosisReport.RuleSetRef(version, loadedAt);
    }
}
