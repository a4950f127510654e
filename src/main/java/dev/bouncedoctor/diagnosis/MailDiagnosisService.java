package dev.bouncedoctor.diagnosis;

import dev.bouncedoctor.mail.BounceMailParser;
import dev.bouncedoctor.mail.MalformedMailException;
import dev.bouncedoctor.mail.ParsedMail;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;

/** Diagnoses a raw bounce mail with the rule set serving when it arrives, one diagnosis per recipient. */
@ApplicationScoped
public class MailDiagnosisService {

    private final DiagnosisService diagnoses;
    private final BounceMailParser parser = new BounceMailParser();
    private final MailReports reports = new MailReports();

    public MailDiagnosisService(DiagnosisService diagnoses) {
        this.diagnoses = diagnoses;
    }

    public MailReport diagnose(InputStream body) {
        ParsedMail mail;
        try {
            mail = body == null ? parser.parse(new byte[0]) : parser.parse(body);
        } catch (IOException e) {
            throw new MalformedMailException("the body could not be read: " + e.getMessage(), e);
        }
        return reports.report(mail, diagnoses::diagnose);
    }
}
