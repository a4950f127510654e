package dev.bouncedoctor.console;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.bouncedoctor.maillog.MailLogExceptions.NotFound;
import dev.bouncedoctor.maillog.PageView;
import dev.bouncedoctor.maillog.RecipientDetailService;
import dev.bouncedoctor.maillog.RecipientView;
import dev.bouncedoctor.maillog.SuppressionListService;
import dev.bouncedoctor.maillog.SuppressionRemovalService;
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
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/** The bounce list (seed 002, "Bounced Email Addresses"): search, filter by reason, mark as valid, export as CSV. */
@Path("/console/bounces")
@RolesAllowed(Roles.READ)
@Produces(MediaType.TEXT_HTML)
public class BounceListPage {

    static final int PAGE_SIZE = 25;
    /** The export reads the list in pages of the API's largest size. */
    private static final int EXPORT_PAGE = 500;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance bounces(Viewer viewer, String address, String reason, List<FieldError> errors, List<RecipientView> items, Paging paging);

        static native TemplateInstance confirm(Viewer viewer, RecipientView recipient);
    }

    /** One row of the export: the columns a spreadsheet user needs, in a fixed order. */
    record CsvRow(String address, String reason, String since, int consecutiveFailures, String lastStatus, String lastEventAt) {
    }

    private final SuppressionListService list;
    private final SuppressionRemovalService removal;
    private final RecipientDetailService recipients;
    private final SecurityIdentity caller;

    public BounceListPage(SuppressionListService list, SuppressionRemovalService removal, RecipientDetailService recipients,
                          SecurityIdentity caller) {
        this.list = list;
        this.removal = removal;
        this.recipients = recipients;
        this.caller = caller;
    }

    @GET
    public Response bounces(@RestQuery String address, @RestQuery String reason, @RestQuery String page) {
        Viewer viewer = Viewer.of(caller);
        try {
            PageView<RecipientView> view = list.suppressions(reason, address, page, String.valueOf(PAGE_SIZE));
            Map<String, String> query = new LinkedHashMap<>();
            query.put("address", address);
            query.put("reason", reason);
            return Response.ok(Templates.bounces(viewer, orEmpty(address), orEmpty(reason), List.of(), view.items(), Paging.of("/console/bounces", query, view))).build();
        } catch (InvalidFactException e) {
            return Response.status(400).entity(Templates.bounces(viewer, orEmpty(address), orEmpty(reason), e.errors(), List.of(), null)).build();
        }
    }

    /** The whole list (with the same filters) as CSV, for a spreadsheet or a provider's suppression import. */
    @GET
    @Path("/export")
    @Produces("text/csv")
    public Response export(@RestQuery String address, @RestQuery String reason) {
        List<CsvRow> rows = new ArrayList<>();
        for (int page = 0; ; page++) {
            PageView<RecipientView> view = list.suppressions(reason, address, String.valueOf(page), String.valueOf(EXPORT_PAGE));
            view.items().forEach(r -> rows.add(new CsvRow(r.address(), r.suppressedReason(), text(r.suppressedSince()), r.consecutiveFailures(),
                    r.lastStatus(), text(r.lastEventAt()))));
            if ((long) (page + 1) * EXPORT_PAGE >= view.total()) {
                break;
            }
        }
        // Quoted only where a value needs it, so that a plain address reads as it is.
        CsvMapper csv = CsvMapper.builder().enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
        CsvSchema schema = csv.schemaFor(CsvRow.class).withHeader().sortedBy("address", "reason", "since", "consecutiveFailures", "lastStatus", "lastEventAt");
        StreamingOutput body = out -> csv.writer(schema).writeValues(out).writeAll(rows).close();
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"bounce-list.csv\"").build();
    }

    /** "Mark email address as valid" asks first: the address goes back to being mailed. */
    @GET
    @Path("/mark-valid")
    @RolesAllowed(Roles.OPERATOR)
    public Response confirm(@RestQuery String address) {
        Viewer viewer = Viewer.of(caller);
        try {
            RecipientView r = recipients.recipient(address).recipient();
            return r.suppressed() ? Response.ok(Templates.confirm(viewer, r)).build()
                    : ConsoleErrors.notFound(viewer, "Not on the bounce list", r.address() + " is not on the bounce list");
        } catch (InvalidFactException | NotFound e) {
            return ConsoleErrors.notFound(viewer, "Not on the bounce list", e.getMessage());
        }
    }

    /** Takes the address off the list, recorded under the signed-in key's name, then shows the recipient. */
    @POST
    @Path("/mark-valid")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response markValid(@RestForm String address) {
        try {
            RecipientView r = removal.remove(address, caller.getPrincipal().getName());
            return Response.seeOther(URI.create("/console/recipients?removed=true&address=" + URLEncoder.encode(r.address(), StandardCharsets.UTF_8))).build();
        } catch (InvalidFactException | NotFound e) {
            return ConsoleErrors.notFound(Viewer.of(caller), "Not on the bounce list", e.getMessage());
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
