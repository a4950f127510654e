package dev.bouncedoctor.api;

import dev.bouncedoctor.model.InvalidFactException.FieldError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A body must say what it is. Without a Content-Type the JSON endpoints would read any body as JSON,
 * and a page on another site can send exactly that (a "simple" cross-site request needs no CORS
 * preflight). So a state-changing request with a body and no Content-Type is refused with 415,
 * naming the types the endpoint takes. A declared type the endpoint does not take is refused by
 * JAX-RS itself, also with 415.
 */
public class DeclaredContentType {

    private static final Set<String> CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final Map<Method, List<String>> accepted = new ConcurrentHashMap<>();

    /**
     * A Content-Type that is no media type at all ({@code garbage}, {@code application/json, text/plain}) would fail
     * the matching of the request to a method; it is refused first, naming what to send.
     */
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseUnreadableContentType(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return Optional.empty();
        }
        try {
            MediaType.valueOf(type);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(Problem.response(415, "content-type-unreadable", "The body's Content-Type is not a media type",
                    "'" + type + "' is not one media type; send e.g. Content-Type: application/json",
                    List.of(new FieldError("Content-Type", "send one media type, such as application/json"))));
        }
    }

    @ServerRequestFilter
    public Optional<Response> requireContentType(ContainerRequestContext request, ResourceInfo resource) {
        if (!CHANGING.contains(request.getMethod()) || request.getHeaderString(HttpHeaders.CONTENT_TYPE) != null || !hasBody(request)) {
            return Optional.empty();
        }
        List<String> types = resource == null || resource.getResourceMethod() == null ? List.of()
                : accepted.computeIfAbsent(resource.getResourceMethod(), m -> consumedBySiblings(resource.getResourceClass(), m));
        if (types.isEmpty()) {
            return Optional.of(Problem.response(415, "content-type-required", "The body's Content-Type is missing",
                    "this request takes no body; send it without one", List.of(new FieldError("body", "leave it out"))));
        }
        String send = String.join(" or ", types);
        return Optional.of(Problem.response(415, "content-type-required", "The body's Content-Type is missing",
                "a request body needs a declared Content-Type; send Content-Type: " + send, List.of(new FieldError("Content-Type", "set it to " + send))));
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Long.parseLong(length.trim()) > 0;
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return request.getHeaderString("Transfer-Encoding") != null;
    }

    /** What the endpoint takes: every method of the resource with the same HTTP method and path (POST /v1/diagnoses takes JSON and raw mail). */
    private static List<String> consumedBySiblings(Class<?> resourceClass, Method matched) {
        Set<String> types = new LinkedHashSet<>();
        for (Method m : resourceClass.getMethods()) {
            if (Objects.equals(httpMethod(m), httpMethod(matched)) && Objects.equals(path(m), path(matched))) {
                Consumes consumes = m.getAnnotation(Consumes.class);
                if (consumes == null) {
                    consumes = resourceClass.getAnnotation(Consumes.class);
                }
                if (consumes != null) {
                    types.addAll(List.of(consumes.value()));
                }
            }
        }
        // Reflection lists methods in no fixed order; name JSON first, the API's usual body.
        return types.stream().sorted(Comparator.comparing((String t) -> !t.equals(MediaType.APPLICATION_JSON)).thenComparing(t -> t)).toList();
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String path(Method m) {
        Path path = m.getAnnotation(Path.class);
        return path == null ? "" : path.value();
    }
}
