package dev.bouncedoctor.maillog;

import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisReport;
import java.util.List;

/** The stored diagnosis of an event: diagnoses (primary first) and the rules that fired. */
public record StoredDiagnosis(List<Diagnosis> diagnoses, List<String> rulesFired, String ruleSetVersion) {

    static StoredDiagnosis of(DiagnosisReport report) {
        return new StoredDiagnosis(report.diagnoses(), report.rulesFired(), report.ruleSet() == null ? null : report.ruleSet().version());
    }
}
