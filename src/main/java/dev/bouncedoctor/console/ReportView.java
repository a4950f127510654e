package dev.bouncedoctor.console;

import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.DiagnosisReport;
import io.quarkus.qute.TemplateData;
import java.util.List;

/** One diagnosis as a page shows it: the primary answer, the others, the rules that fired, the text with its evidence marked. */
@TemplateData
public record ReportView(String recipient, String status, String code, Diagnosis primary, List<Diagnosis> others,
                         List<String> rulesFired, Highlight text, String ruleSetVersion) {

    static ReportView of(DiagnosisReport report) {
        Diagnosis primary = report.primary();
        var fact = report.fact();
        String code = fact == null ? null : join(fact.smtpCode() == null ? null : String.valueOf(fact.smtpCode()), fact.enhancedCode());
        return new ReportView(fact == null ? null : fact.recipient(), report.eventStatus(), code, primary,
                report.diagnoses().subList(1, report.diagnoses().size()), report.rulesFired(),
                Highlight.of(fact == null ? null : fact.message(), primary.evidence()),
                report.ruleSet() == null ? null : report.ruleSet().version());
    }

    static ReportView stored(String recipient, String status, String code, String message, List<Diagnosis> diagnoses,
                             List<String> rulesFired, String ruleSetVersion) {
        Diagnosis primary = diagnoses.get(0);
        return new ReportView(recipient, status, code, primary, diagnoses.subList(1, diagnoses.size()), rulesFired,
                Highlight.of(message, primary.evidence()), ruleSetVersion);
    }

    static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + " " + b;
    }
}
