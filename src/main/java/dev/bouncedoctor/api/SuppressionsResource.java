package dev.bouncedoctor.api;

import dev.bouncedoctor.maillog.PageView;
import dev.bouncedoctor.maillog.RecipientView;
import dev.bouncedoctor.maillog.SuppressionListService;
import dev.bouncedoctor.maillog.SuppressionRemovalService;
import dev.bouncedoctor.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/v1/suppressions")
@Produces(MediaType.APPLICATION_JSON)
public class SuppressionsResource {

    private final SuppressionListService bounceList;
    private final SuppressionRemovalService removal;
    private final SecurityIdentity caller;

    public SuppressionsResource(SuppressionListService list, SuppressionRemovalService removal, SecurityIdentity caller) {
        this.bounceList = list;
        this.removal = removal;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Roles.READ)
    @Operation(summary = "The bounce list, most recently listed first", description = "Filter by reason and by address (addresses containing the text); page from 0, size up to 500.")
    public PageView<RecipientView> list(@RestQuery String reason, @RestQuery String address, @RestQuery String page, @RestQuery String size) {
        return bounceList.suppressions(reason, address, page, size);
    }

    /** Who removed it is whoever authenticated: the API key's name, or the token's user; a client cannot claim someone else. */
    @DELETE
    @RolesAllowed(Roles.OPERATOR)
    @Path("/{address}")
    @Operation(summary = "Mark an email address as valid", description = "Takes it off the bounce list, recording who (the API key's name or the token's user) and when. "
            + "It goes back on if delivery keeps failing.")
    public RecipientView remove(@RestPath String address) {
        return removal.remove(address, caller.getPrincipal().getName());
    }
}
