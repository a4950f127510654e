package dev.bouncedoctor.diagnosis;

import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.mail.BounceRecipient;
import dev.bouncedoctor.mail.ParsedMail;
import dev.bouncedoctor.model.DiagnosisInput;
import dev.bouncedoctor.model.DiagnosisReport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A parsed bounce mail as questions for the rules, one per recipient, and their answers as one report. Plain Java,
 * so that the HTTP service (which counts each diagnosis) and the command line (which has no service) share it.
 */
public final class MailReports {

    /** Addresses found in a mail are canonicalised when they parse and kept as found otherwise. */
    private final Normaliser normaliser = Normaliser.forParsedMail();

    /** One input per recipient, in the mail's order: its fact normalised, the mail's {@code BounceContext} next to it. */
    public List<DiagnosisInput> inputs(ParsedMail mail) {
        List<DiagnosisInput> inputs = new ArrayList<>(mail.recipients().size());
        for (BounceRecipient r : mail.recipients()) {
            inputs.add(new DiagnosisInput(normaliser.normalise(r.fact()), r.context(), null));
        }
        return inputs;
    }

    /** The mail's report, each recipient diagnosed by {@code diagnose}. */
    public MailReport report(ParsedMail mail, Function<DiagnosisInput, DiagnosisReport> diagnose) {
        List<DiagnosisReport> reports = new ArrayList<>(mail.recipients().size());
        for (DiagnosisInput input : inputs(mail)) {
            reports.add(diagnose.apply(input));
        }
        return new MailReport(List.copyOf(reports), mail.detail());
    }
}
