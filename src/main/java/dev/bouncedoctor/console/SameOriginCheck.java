package dev.bouncedoctor.console;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Cross-site request forgery: a console form that changes something (mark as valid) or does work (diagnose,
 * validate rules) is accepted only from the console's own pages. The session cookie is SameSite=Strict already, so
 * another site's form does not carry it; this checks the browser's own word as well (OWASP: verifying the origin
 * with standard headers): {@code Sec-Fetch-Site: same-origin}, or failing that an {@code Origin} naming this
 * host. A request with neither is refused: the console is for browsers, which send them; programs use the API.
 */
public class SameOriginCheck {

    @ServerRequestFilter
    public Response check(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD || request.method() == HttpMethod.OPTIONS
                || request.path() == null || !request.path().startsWith("/console/")) {
            return null;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin") ? null : refused("the form was sent from another site (Sec-Fetch-Site: " + site + ")");
        }
        String origin = request.getHeader("Origin");
        if (origin == null || origin.equals("null")) {
            return refused("the request does not say which page sent it (no Origin header)");
        }
        String host = request.getHeader("Host");
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host) ? null : refused("the form was sent from " + origin + ", not from this console");
        } catch (IllegalArgumentException e) {
            return refused("the Origin header is not an address: " + origin);
        }
    }

    private static Response refused(String why) {
        return Response.status(403).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .entity("Refused: " + why + ". Use the console's own pages, or the API with an API key.\n").build();
    }
}
