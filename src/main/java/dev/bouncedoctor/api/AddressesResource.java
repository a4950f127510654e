package dev.bouncedoctor.api;

import dev.bouncedoctor.check.AddressCheckService;
import dev.bouncedoctor.check.AddressReport;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/addresses")
@RolesAllowed(Roles.DIAGNOSE)
@Produces(MediaType.APPLICATION_JSON)
public class AddressesResource {

    /** One address, or a list of them. */
    public record CheckRequest(String address, List<String> addresses) {
    }

    public record CheckResponse(List<AddressReport> results) {
    }

    private final AddressCheckService check;
    private final int max;

    public AddressesResource(AddressCheckService check, @ConfigProperty(name = "addresses.check.max-size", defaultValue = "1000") int max) {
        this.check = check;
        this.max = max;
    }

    @POST
    @Path("/check")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Check addresses before sending",
            description = "Per address: whether it is one well-formed address (and why not), its normalised form (IDN domains in ASCII), the "
                    + "address probably meant when the domain looks mistyped, its bounce-list entry, its failures in the last 30 days, "
                    + "its domain's mail host when DNS lookups are on (addresses.dns.enabled), and a verdict: send, send-with-care or do-not-send, with the reason.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "one", value = "{\"address\": \"jane@gmial.com\"}"),
            @ExampleObject(name = "several", value = "{\"addresses\": [\"jane@gmail.com\", \"jane@gmail,com\", \"old@example.org\"]}")}))
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "a typo",
            value = "{\"results\": [{\"address\": \"jane@gmial.com\", \"valid\": true, \"normalized\": \"jane@gmial.com\", \"suggestion\": \"jane@gmail.com\", "
                    + "\"recentFailures\": [], \"verdict\": \"send-with-care\", \"because\": \"The domain looks like a typo of gmail.com: did you mean "
                    + "jane@gmail.com? Confirm the address with the customer.\"}]}")))
    @BodyLimit("addresses")
    @BoundedWork
    public CheckResponse check(CheckRequest request) {
        List<String> addresses = new ArrayList<>();
        if (request != null && request.address() != null) {
            addresses.add(request.address());
        }
        if (request != null && request.addresses() != null) {
            addresses.addAll(request.addresses());
        }
        if (request == null || (request.address() == null) == (request.addresses() == null) || addresses.isEmpty()) {
            throw new InvalidFactException(List.of(new FieldError("address", "send {\"address\": \"jane@example.com\"} or {\"addresses\": [\"…\", \"…\"]}, one of the two")));
        }
        if (addresses.size() > max) {
            throw new RequestTooLargeException("addresses", addresses.size() + " addresses sent; at most " + max + " can be checked at once (addresses.check.max-size)");
        }
        for (int i = 0; i < addresses.size(); i++) {
            if (addresses.get(i) == null) {
                throw new InvalidFactException(List.of(new FieldError("addresses[" + i + "]", "give each address as a string")));
            }
        }
        return new CheckResponse(check.check(addresses));
    }
}
