package dev.bouncedoctor.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.maillog.EventDetail;
import dev.bouncedoctor.maillog.EventFilter;
import dev.bouncedoctor.maillog.EventIngestService;
import dev.bouncedoctor.maillog.EventLogService;
import dev.bouncedoctor.maillog.EventRequest;
import dev.bouncedoctor.maillog.EventView;
import dev.bouncedoctor.maillog.IngestResult;
import dev.bouncedoctor.maillog.PageView;
import dev.bouncedoctor.security.Roles;
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
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

    private final EventIngestService ingest;
    private final EventLogService log;
    private final int maxBatch;
    private final ObjectMapper json;

    public EventsResource(EventIngestService ingest, EventLogService log, ObjectMapper json,
                          @ConfigProperty(name = "maillog.batch.max-size", defaultValue = "500") int maxBatch) {
        this.ingest = ingest;
        this.log = log;
        this.maxBatch = maxBatch;
        this.json = json;
    }

    @POST
    @RolesAllowed(Roles.INGEST)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log one delivery event", description = "Stores the event, diagnoses it with the current rules and updates the recipient. "
            + "201 when stored, 200 when this eventId was stored before (the first result), 202 when stored but the rules could not diagnose it yet.")
    @BodyLimit("fact")
    @BoundedWork
    public Response ingest(EventRequest event) {
        return respond(ingest.ingest(event));
    }

    @POST
    @RolesAllowed(Roles.INGEST)
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log several events", description = "An array of events (at most maillog.batch.max-size, 500 by default), all checked first, then stored in order.")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = EventRequest.class)))
    @BodyLimit("batch")
    @BoundedWork
    public List<IngestResult> batch(InputStream body) throws IOException {
        return ingest.ingestAll(JsonArrays.read(json, body, EventRequest.class, maxBatch, "MAILLOG_BATCH_MAX_SIZE"));
    }

    @GET
    @RolesAllowed(Roles.READ)
    @Operation(summary = "The mail log, newest first", description = "Filters: recipient, sender, status, undelivered=true (what the rules counted as a failure, and events not diagnosed yet), "
            + "from/to (ISO-8601 instants); page from 0, size up to 500.")
    public PageView<EventView> list(@RestQuery String recipient, @RestQuery String sender, @RestQuery String status,
                                    @RestQuery String undelivered, @RestQuery String from, @RestQuery String to,
                                    @RestQuery String page, @RestQuery String size) {
        return log.events(new EventFilter(recipient, sender, status, undelivered, from, to, page, size));
    }

    @GET
    @RolesAllowed(Roles.READ)
    @Path("/{id}")
    @Operation(summary = "One event with its stored diagnosis")
    public EventDetail one(@RestPath String id) {
        return log.event(id);
    }

    private static Response respond(IngestResult result) {
        int status = !result.created() ? 200 : result.event().diagnosed() ? 201 : 202;
        return Response.status(status).location(URI.create("/v1/events/" + result.event().id())).entity(result).build();
    }
}
