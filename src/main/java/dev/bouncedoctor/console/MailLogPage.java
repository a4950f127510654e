package dev.bouncedoctor.console;

import dev.bouncedoctor.maillog.EventDetail;
import dev.bouncedoctor.maillog.EventFilter;
import dev.bouncedoctor.maillog.EventLogService;
import dev.bouncedoctor.maillog.EventView;
import dev.bouncedoctor.maillog.MailLogExceptions.NotFound;
import dev.bouncedoctor.maillog.PageView;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The mail log (seed 002): newest first, "show only undelivered", narrowed by recipient, sender and a date
 * interval, and each event's details with its diagnosis.
 */
@Path("/console/log")
@RolesAllowed(Roles.READ)
@Produces(MediaType.TEXT_HTML)
public class MailLogPage {

    static final int PAGE_SIZE = 25;

    /** The filters as typed into the form, shown again above the results. */
    public record Filters(String recipient, String sender, boolean undelivered, String from, String to) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance log(Viewer viewer, Filters filters, List<FieldError> errors, List<EventView> events, Paging paging);

        static native TemplateInstance event(Viewer viewer, EventView event, ReportView report, String diagnosisError);
    }

    private final EventLogService log;
    private final SecurityIdentity caller;

    public MailLogPage(EventLogService log, SecurityIdentity caller) {
        this.log = log;
        this.caller = caller;
    }

    @GET
    public Response list(@RestQuery String recipient, @RestQuery String sender, @RestQuery String undelivered,
                         @RestQuery String from, @RestQuery String to, @RestQuery String page) {
        boolean onlyUndelivered = "true".equals(undelivered) || "on".equals(undelivered);
        Filters filters = new Filters(trim(recipient), trim(sender), onlyUndelivered, trim(from), trim(to));
        Viewer viewer = Viewer.of(caller);
        try {
            PageView<EventView> view = log.events(new EventFilter(filters.recipient(), filters.sender(), null,
                    String.valueOf(onlyUndelivered), startOf(filters.from(), "from"), endOf(filters.to(), "to"), page, String.valueOf(PAGE_SIZE)));
            Map<String, String> query = new LinkedHashMap<>();
            query.put("recipient", filters.recipient());
            query.put("sender", filters.sender());
            query.put("undelivered", onlyUndelivered ? "true" : null);
            query.put("from", filters.from());
            query.put("to", filters.to());
            return Response.ok(Templates.log(viewer, filters, List.of(), view.items(), Paging.of("/console/log", query, view))).build();
        } catch (InvalidFactException e) {
            return Response.status(400).entity(Templates.log(viewer, filters, e.errors(), List.of(), null)).build();
        }
    }

    @GET
    @Path("/{id}")
    public Response event(@RestPath String id) {
        Viewer viewer = Viewer.of(caller);
        try {
            EventDetail detail = log.event(id);
            EventView e = detail.event();
            ReportView report = detail.diagnosis() == null || detail.diagnosis().diagnoses() == null || detail.diagnosis().diagnoses().isEmpty() ? null
                    : ReportView.stored(e.recipient(), e.status(), ReportView.join(e.smtpCode() == null ? null : e.smtpCode().toString(), e.enhancedCode()),
                            e.message(), detail.diagnosis().diagnoses(), detail.diagnosis().rulesFired(), detail.diagnosis().ruleSetVersion());
            return Response.ok(Templates.event(viewer, e, report, e.diagnosisError())).build();
        } catch (InvalidFactException | NotFound e) {
            return ConsoleErrors.notFound(viewer, "No such event", e.getMessage());
        }
    }

    /** A day from the form's date field is the whole day in UTC; a full ISO-8601 instant is taken as it is. */
    static String startOf(String day, String field) {
        LocalDate date = date(day, field);
        return date == null ? day : date.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    }

    static String endOf(String day, String field) {
        LocalDate date = date(day, field);
        return date == null ? day : date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1_000).toString();
    }

    private static LocalDate date(String day, String field) {
        if (day == null || day.contains("T")) {
            return null;
        }
        try {
            return LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw new InvalidFactException(List.of(new FieldError(field, "give a day as YYYY-MM-DD (or an ISO-8601 instant); got '" + day + "'")));
        }
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
