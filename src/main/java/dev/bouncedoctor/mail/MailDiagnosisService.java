package dev.bouncedoctor.mail;

import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.rules.RuleRegistry;
import dev.bouncedoctor.rules.RuleSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;

/** Diagnoses a raw bounce mail with the rule set serving when it arrives. */
@ApplicationScoped
public class MailDiagnosisService {

    private final RuleRegistry registry;
    private final MailDiagnosis diagnosis = new MailDiagnosis();

    public MailDiagnosisService(RuleRegistry registry) {
        this.registry = registry;
    }

    public MailReport diagnose(InputStream body) {
        byte[] raw;
        try {
            raw = body == null ? new byte[0] : MimeReader.readCapped(body);
        } catch (IOException e) {
            throw new MalformedMailException("the body could not be read: " + e.getMessage(), e);
        }
        ParsedMail mail = diagnosis.parse(raw);
        RuleSet rules = registry.current().orElseThrow(DiagnosisService.NoRuleSetException::new);
        return diagnosis.diagnose(mail, rules);
    }
}
