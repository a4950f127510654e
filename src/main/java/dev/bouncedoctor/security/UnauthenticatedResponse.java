package dev.bouncedoctor.security;

import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * How a request without usable credentials is answered on the HTTP layer. The API layer provides it (the body is
 * its problem format), so that security, below the API, needs nothing of the API.
 */
public interface UnauthenticatedResponse {

    /** The two ways in, as RFC 9110 challenges: an OIDC bearer token, or an API key in its header. */
    List<String> CHALLENGES = List.of("Bearer realm=\"bounce-doctor\"", "ApiKey realm=\"bounce-doctor\", header=\"" + ApiKeyAuthenticationMechanism.HEADER + "\"");

    void send(RoutingContext context);
}
