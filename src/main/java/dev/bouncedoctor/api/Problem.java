package dev.bouncedoctor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An RFC 9457 problem detail; {@code errors} names each field and what to fix. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(int status, String type, String title, String detail, List<FieldError> errors) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem("urn:bounce-doctor:problem:" + type, title, status, detail, errors))
                .build();
    }

    public static Response badRequest(String type, String detail, List<FieldError> errors) {
        return response(400, type, "The request cannot be diagnosed as sent", detail, errors);
    }
}
