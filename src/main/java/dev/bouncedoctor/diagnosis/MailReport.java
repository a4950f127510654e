package dev.bouncedoctor.diagnosis;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bouncedoctor.model.DiagnosisReport;
import java.util.List;

/**
 * The answer to a raw mail: one report per recipient, in the mail's order (reports[0] is recipient 1).
 * When the mail names no failed recipient, {@code reports} is empty and {@code detail} says why.
 */
public record MailReport(List<DiagnosisReport> reports, @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {
}
