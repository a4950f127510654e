package dev.bouncedoctor.mail;

import dev.bouncedoctor.diagnosis.DeliveryFact;
import dev.bouncedoctor.diagnosis.DiagnosisEngine;
import dev.bouncedoctor.diagnosis.DiagnosisReport;
import dev.bouncedoctor.diagnosis.Normaliser;
import dev.bouncedoctor.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a mail and runs each recipient's fact, with its {@link BounceContext}, through a rule set.
 * Plain Java, so that the HTTP service and the command line share it.
 */
public final class MailDiagnosis {

    private final BounceMailParser parser = new BounceMailParser();
    private final BounceMailParser withoutDates = BounceMailParser.withoutDates();
    private final Normaliser normaliser = Normaliser.forParsedMail();
    private final DiagnosisEngine engine = new DiagnosisEngine();

    public ParsedMail parse(byte[] raw) {
        return parser.parse(raw);
    }

    /** The mail as {@link #classify} needs it: no recipient's date is parsed, the classify rules never read one. */
    public ParsedMail parseForClassification(byte[] raw) {
        return withoutDates.parse(raw);
    }

    public MailReport diagnose(byte[] raw, RuleSet rules) {
        return diagnose(parser.parse(raw), rules);
    }

    public MailReport diagnose(ParsedMail mail, RuleSet rules) {
        List<DiagnosisReport> reports = new ArrayList<>(mail.recipients().size());
        for (BounceRecipient r : mail.recipients()) {
            reports.add(engine.run(rules.sessions(), rules.phrases(), rules.ref(), normaliser.normalise(r.fact()), List.of(r.context())));
        }
        return new MailReport(List.copyOf(reports), mail.detail());
    }

    /** One recipient's normalised fact and primary reason. */
    public record Classified(DeliveryFact fact, String reason) {
    }

    /** Each recipient's primary reason only, without advice: what batch classification prints. */
    public List<Classified> classify(ParsedMail mail, RuleSet rules) {
        return classify(List.of(mail), rules).get(0);
    }

    /**
     * {@link #classify(ParsedMail, RuleSet)} for several mails, in two rounds: first every fact is normalised and has its
     * phrases found, then every fact goes through the rules. Each round keeps its own data (the phrase automaton, the
     * rule network) in the CPU caches instead of evicting the other's at every fact.
     */
    public List<List<Classified>> classify(List<ParsedMail> mails, RuleSet rules) {
        List<List<DeliveryFact>> facts = new ArrayList<>(mails.size());
        for (ParsedMail mail : mails) {
            List<DeliveryFact> prepared = new ArrayList<>(mail.recipients().size());
            for (BounceRecipient r : mail.recipients()) {
                prepared.add(rules.phrases().index(normaliser.normalise(r.fact())));
            }
            facts.add(prepared);
        }
        List<List<Classified>> out = new ArrayList<>(mails.size());
        for (int m = 0; m < mails.size(); m++) {
            List<BounceRecipient> recipients = mails.get(m).recipients();
            List<Classified> classified = new ArrayList<>(recipients.size());
            for (int i = 0; i < recipients.size(); i++) {
                DeliveryFact fact = facts.get(m).get(i);
                classified.add(new Classified(fact, engine.classify(rules.sessions(), rules.phrases(), fact, List.of(recipients.get(i).context())).reason()));
            }
            out.add(classified);
        }
        return out;
    }
}
