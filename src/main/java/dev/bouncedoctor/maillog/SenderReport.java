package dev.bouncedoctor.maillog;

import dev.bouncedoctor.model.Diagnosis;
import dev.bouncedoctor.model.SenderFlag;
import dev.bouncedoctor.model.DiagnosisReport;
import java.util.List;
import java.util.Map;

/**
 * What is wrong for a sender: its flagged recipients within the history window, their reasons, and
 * the rules' diagnosis of its latest failed event seen against that history.
 */
public record SenderReport(String sender, int flaggedRecipients, Map<String, Long> flaggedByReason, Long basedOnEvent,
                           List<Diagnosis> diagnoses, List<String> rulesFired, DiagnosisReport.RuleSetRef ruleSet,
                           List<SenderFlag> flagged) {
}
