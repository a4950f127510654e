package dev.bouncedoctor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncedoctor.security.UnauthenticatedResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The 401 and 403 problems, the same whether JAX-RS or the HTTP layer (API description, permission
 * paths) refuses the request. A 401 never says why: missing, malformed, unknown and revoked
 * credentials all get this one body, so that nobody can probe which keys exist.
 */
public final class AuthProblems {

    static final List<String> CHALLENGES = UnauthenticatedResponse.CHALLENGES;

    static final String UNAUTHENTICATED_DETAIL = "send a valid API key in the X-API-Key header (or as Authorization: Bearer bdk_…), "
            + "or an OIDC access token as Authorization: Bearer …";

    private AuthProblems() {
    }

    public static Problem unauthenticated() {
        return new Problem("urn:bounce-doctor:problem:unauthenticated", "Authentication required", 401, UNAUTHENTICATED_DETAIL, List.of());
    }

    /** {@code anyOf}: the roles that would have been let in, when known. */
    public static Problem forbidden(List<String> anyOf) {
        String detail = anyOf.isEmpty()
                ? "the API key or token is valid but lacks the role this request needs"
                : "the API key or token is valid but lacks the role this request needs: " + String.join(" or ", anyOf);
        return new Problem("urn:bounce-doctor:problem:forbidden", "Not allowed", 403, detail, List.of());
    }

    static Response unauthenticatedResponse() {
        Response.ResponseBuilder r = Response.status(401).type(Problem.MEDIA_TYPE).entity(unauthenticated());
        CHALLENGES.forEach(c -> r.header(HttpHeaders.WWW_AUTHENTICATE, c));
        return r.build();
    }

    static Response forbiddenResponse(List<String> anyOf) {
        return Response.status(403).type(Problem.MEDIA_TYPE).entity(forbidden(anyOf)).build();
    }

    /** Writes a problem on the HTTP layer, outside JAX-RS; a 401 gets its challenges. */
    public static void send(RoutingContext context, Problem problem, ObjectMapper json) {
        HttpServerResponse response = context.response();
        if (response.ended()) {
            return;
        }
        // A challenge is sent without reading the body; consume it so that the connection stays usable.
        context.request().resume();
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (problem.status() == 401) {
            response.putHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGES);
        }
        try {
            response.end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Problem is always serialisable", e);
        }
    }
}
