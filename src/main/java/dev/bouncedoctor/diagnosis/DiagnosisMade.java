package dev.bouncedoctor.diagnosis;

import dev.bouncedoctor.model.DiagnosisReport;

/** A CDI event: the rules answered one input, whichever way it came in (JSON, batch, raw mail, mail log). */
public record DiagnosisMade(DiagnosisReport report) {
}
