package dev.bouncedoctor.console;

import dev.bouncedoctor.api.BodyLimit;
import dev.bouncedoctor.api.BoundedWork;
import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.diagnosis.MailDiagnosisService;
import dev.bouncedoctor.diagnosis.MailReport;
import dev.bouncedoctor.mail.MalformedMailException;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Diagnose: paste a bounce text or codes, or drop a raw mail, and read the answer (the seeds' "what does this error mean"). */
@Path("/console/diagnose")
@RolesAllowed(Roles.DIAGNOSE)
@Produces(MediaType.TEXT_HTML)
public class DiagnosePage {

    /** What was typed, shown again with the answer. */
    public record Entered(String message, String smtpCode, String enhancedCode, String fileName) {
        static final Entered EMPTY = new Entered("", "", "", null);
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance diagnose(Viewer viewer, Entered entered, List<FieldError> errors, List<ReportView> reports, String detail);
    }

    private final DiagnosisService diagnoses;
    private final MailDiagnosisService mails;
    private final SecurityIdentity caller;

    public DiagnosePage(DiagnosisService diagnoses, MailDiagnosisService mails, SecurityIdentity caller) {
        this.diagnoses = diagnoses;
        this.mails = mails;
        this.caller = caller;
    }

    @GET
    public TemplateInstance form() {
        return Templates.diagnose(Viewer.of(caller), Entered.EMPTY, List.of(), null, null);
    }

    /** A dropped mail wins over the text fields; either way the answer comes from the same services as the API's. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @BodyLimit("mail")
    @BoundedWork
    public Response diagnose(@RestForm String message, @RestForm String smtpCode, @RestForm String enhancedCode, @RestForm FileUpload mail) {
        boolean hasMail = mail != null && mail.size() > 0;
        Entered entered = new Entered(blankToEmpty(message), blankToEmpty(smtpCode), blankToEmpty(enhancedCode), hasMail ? mail.fileName() : null);
        Viewer viewer = Viewer.of(caller);
        try {
            if (hasMail) {
                MailReport report;
                try (InputStream in = Files.newInputStream(mail.uploadedFile())) {
                    report = mails.diagnose(in);
                }
                List<ReportView> views = report.reports().stream().map(ReportView::of).toList();
                return Response.ok(Templates.diagnose(viewer, entered, List.of(), views, report.detail())).build();
            }
            List<FieldError> errors = new ArrayList<>();
            Integer code = code(entered.smtpCode(), errors);
            if (entered.message().isEmpty() && code == null && entered.enhancedCode().isEmpty() && errors.isEmpty()) {
                errors.add(new FieldError("message", "paste the bounce text, give a reply code, or choose a mail file"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidFactException(errors);
            }
            DeliveryFact fact = new DeliveryFact(null, null, null, null, code, emptyToNull(entered.enhancedCode()), emptyToNull(entered.message()), null, null);
            return Response.ok(Templates.diagnose(viewer, entered, List.of(), List.of(ReportView.of(diagnoses.diagnose(fact))), null)).build();
        } catch (InvalidFactException e) {
            return Response.status(400).entity(Templates.diagnose(viewer, entered, e.errors(), null, null)).build();
        } catch (MalformedMailException e) {
            return Response.status(400).entity(Templates.diagnose(viewer, entered, List.of(new FieldError("mail", e.getMessage())), null, null)).build();
        } catch (IOException e) {
            return Response.status(400).entity(Templates.diagnose(viewer, entered, List.of(new FieldError("mail", "the file could not be read: " + e.getMessage())), null, null)).build();
        }
    }

    /** A reply code as typed: three digits (the API's field is a number; the form's is text). */
    private static Integer code(String typed, List<FieldError> errors) {
        if (typed.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(typed);
        } catch (NumberFormatException e) {
            errors.add(new FieldError("smtpCode", "give the reply code as three digits, e.g. 550; got '" + typed + "'"));
            return null;
        }
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.strip();
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
