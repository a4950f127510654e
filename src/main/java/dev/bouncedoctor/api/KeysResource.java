package dev.bouncedoctor.api;

import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.security.ApiKeys;
import dev.bouncedoctor.security.ApiKeys.CreatedKey;
import dev.bouncedoctor.security.ApiKeys.KeyView;
import dev.bouncedoctor.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

/** API keys over HTTP, for admins who cannot run the jar's keys command where the database is. */
@Path("/v1/keys")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {

    public record CreateKeyRequest(String name, List<String> roles) {
    }

    private final ApiKeys keys;

    public KeysResource(ApiKeys keys) {
        this.keys = keys;
    }

    @GET
    @Operation(summary = "Every API key", description = "Name, roles, created, last used (to the minute), revoked; never the key nor its hash.")
    public List<KeyView> list() {
        return keys.list();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One API key")
    public KeyView one(@RestPath String name) {
        return keys.find(name).orElseThrow(() -> new ApiKeys.UnknownKey(name));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key", description = "Body: {\"name\": \"support-ui\", \"roles\": [\"diagnose\", \"read\"]}. "
            + "The answer's key is shown this once and stored only as a hash.")
    public Response create(CreateKeyRequest request) {
        if (request == null) {
            throw new InvalidFactException(List.of(new FieldError("body", "send {\"name\": \"support-ui\", \"roles\": [\"diagnose\", \"read\"]}")));
        }
        CreatedKey created = keys.create(request.name(), request.roles());
        // The secret must not stay in a cache on the way back.
        return Response.created(URI.create("/v1/keys/" + created.name())).header("Cache-Control", "no-store").entity(created).build();
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Revoke an API key", description = "From now on the key is refused like an unknown one; revoking it again changes nothing.")
    public KeyView revoke(@RestPath String name) {
        return keys.revoke(name);
    }
}
