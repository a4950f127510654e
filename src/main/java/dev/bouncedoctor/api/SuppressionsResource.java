package dev.bouncedoctor.api;

import dev.bouncedoctor.maillog.MailLogService;
import dev.bouncedoctor.maillog.Views.PageView;
import dev.bouncedoctor.maillog.Views.RecipientView;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/v1/suppressions")
@Produces(MediaType.APPLICATION_JSON)
public class SuppressionsResource {

    private final MailLogService mailLog;

    public SuppressionsResource(MailLogService mailLog) {
        this.mailLog = mailLog;
    }

    @GET
    @Operation(summary = "The bounce list, most recently listed first", description = "Filter by reason; page from 0, size up to 500.")
    public PageView<RecipientView> list(@RestQuery String reason, @RestQuery Integer page, @RestQuery Integer size) {
        return mailLog.suppressions(reason, page, size);
    }

    @DELETE
    @Path("/{address}")
    @Operation(summary = "Mark an email address as valid", description = "Takes it off the bounce list, recording who (header X-Operator or query operator) and when. "
            + "It goes back on if delivery keeps failing.")
    public RecipientView remove(@RestPath String address, @RestHeader("X-Operator") String operatorHeader, @RestQuery String operator) {
        return mailLog.removeSuppression(address, operatorHeader != null ? operatorHeader : operator);
    }
}
