package dev.bouncedoctor.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.bouncedoctor.diagnosis.DiagnosisService;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import dev.bouncedoctor.model.LogMask;
import dev.bouncedoctor.model.WorkAbandonedException;
import dev.bouncedoctor.engine.RuleSetDefectException;
import dev.bouncedoctor.mail.MalformedMailException;
import dev.bouncedoctor.rules.RuleRegistry;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure leaves as application/problem+json: what went wrong and what to change, never a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidFact(InvalidFactException e) {
        return Problem.badRequest("invalid-fact", e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return Problem.badRequest("malformed-json", "the body is not valid JSON" + where + ": " + e.getOriginalMessage(),
                List.of(new FieldError("body", "send a JSON object such as {\"smtpCode\":550,\"enhancedCode\":\"5.1.1\"}")));
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String field = path(e);
        List<String> known = e.getKnownPropertyIds() == null ? List.of() : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        return Problem.badRequest("unknown-field", "'" + e.getPropertyName() + "' is not a field of this request",
                List.of(new FieldError(field, "unknown field; the fields are " + known)));
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e) {
        String field = path(e);
        return Problem.badRequest("wrong-type", "'" + e.getValue() + "' cannot be read as " + typeName(e.getTargetType()) + " for " + field,
                List.of(new FieldError(field, "expected " + typeName(e.getTargetType()) + ", got '" + e.getValue() + "'")));
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        String field = path(e);
        String expected = typeName(e.getTargetType());
        return Problem.badRequest("wrong-type", "the value of " + field + " is not " + expected,
                List.of(new FieldError(field, "expected " + expected)));
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        Response known = knownCause(e);
        if (known != null) {
            return known;
        }
        String field = path(e);
        return Problem.badRequest("wrong-type", "the value of " + field + " cannot be read: " + e.getOriginalMessage(),
                List.of(new FieldError(field, e.getOriginalMessage())));
    }

    @ServerExceptionMapper
    public Response malformedMail(MalformedMailException e) {
        return Problem.badRequest("malformed-mail", e.getMessage(),
                List.of(new FieldError("body", "send one raw mail (RFC 5322: header fields, a blank line, the body) with Content-Type: message/rfc822")));
    }

    /** A JSON string past what the reader takes (StreamReadConstraints in {@link JsonSettings}): over every field's limit. */
    @ServerExceptionMapper
    public Response stringTooLong(StreamConstraintsException e) {
        return Problem.response(413, "too-large", "The request is over a limit", "a value of the body is longer than any field takes: "
                + e.getOriginalMessage(), List.of(new FieldError("body", "send each value within its field's limit (see the README's Limits)")));
    }

    @ServerExceptionMapper
    public Response abandoned(WorkAbandonedException e) {
        LOG.warnf("event=request.abandoned why=%s", e.why().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        String type = switch (e.why()) {
            case TOO_SLOW -> "too-slow";
            case CLIENT_LEFT -> "client-left";
            case SHUTTING_DOWN -> "shutting-down";
        };
        return Response.fromResponse(Problem.response(503, type, "The request was stopped", e.getMessage(), List.of()))
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response busy(MemoryAdmission.Busy e) {
        LOG.warn("event=request.refused why=busy");
        return Response.fromResponse(Problem.response(503, "busy", "The service is busy", e.getMessage(), List.of()))
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response tooLarge(RequestTooLargeException e) {
        return Problem.response(413, "too-large", "The request is over a limit", e.getMessage(), List.of(new FieldError(e.field(), e.getMessage())));
    }

    @ServerExceptionMapper
    public Response validationBusy(RuleRegistry.ValidationBusyException e) {
        return Response.fromResponse(Problem.response(429, "validation-busy", "A rule validation is running", e.getMessage(), List.of()))
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response noRuleSet(DiagnosisService.NoRuleSetException e) {
        return Problem.response(503, "no-rule-set", "No rule set is loaded", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response ruleSetDefect(RuleSetDefectException e) {
        LOG.errorf("event=diagnosis.failed cause=\"%s\"", LogMask.cause(e.getMessage(), e.fact()));
        // 422, not 500: the service is up and the request well-formed, but the rules serving now cannot diagnose this input.
        return Problem.response(422, "rule-set-defect", "The rules failed on this fact",
                e.getMessage() + "; the rule authors need to fix rules/ (add a scenario for this fact)", List.of());
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        Response known = knownCause(e);
        if (known != null) {
            return known;
        }
        // The JSON reader wraps Jackson's own exception in a plain 400; answer with what Jackson knew.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException parse) {
                return malformedJson(parse);
            }
            if (cause instanceof UnrecognizedPropertyException unknown) {
                return unknownField(unknown);
            }
            if (cause instanceof InvalidFormatException format) {
                return wrongType(format);
            }
            if (cause instanceof MismatchedInputException mismatched) {
                return mismatched(mismatched);
            }
            if (cause instanceof JsonMappingException mapping) {
                return mapping(mapping);
            }
        }
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "there is no such resource; the API is described at /q/openapi and /q/swagger-ui";
            case 405 -> "this resource does not take that method; see /q/openapi";
            case 415 -> "send the body as Content-Type: application/json (a raw bounce mail as message/rfc822 to /v1/diagnoses)";
            case 406 -> "this resource answers application/json; ask for that in Accept";
            default -> e.getMessage();
        };
        return Problem.response(status, "http-" + status, title, detail, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        Response known = knownCause(e);
        if (known != null) {
            return known;
        }
        // An exception's message may quote what the request carried (an address, a value): at ERROR the kind of failure,
        // its masked cause and where it was thrown; the whole exception, stack and messages, at DEBUG only.
        StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        LOG.errorf("event=request.failed error=%s cause=\"%s\" at=%s", e.getClass().getName(), LogMask.cause(e.getMessage()), at);
        LOG.debug("event=request.failed", e);
        return Problem.response(500, "internal", "Internal error", "the service failed unexpectedly; the log has the details", List.of());
    }

    /** A limit or a stop thrown inside a reader or a library, and wrapped by it on the way out. */
    private Response knownCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RequestTooLargeException tooLarge) {
                return tooLarge(tooLarge);
            }
            if (t instanceof StreamConstraintsException constraints) {
                return stringTooLong(constraints);
            }
            if (t instanceof WorkAbandonedException abandoned) {
                return abandoned(abandoned);
            }
        }
        return null;
    }

    /** Jackson's path as a field name: {@code [3].smtpCode}, {@code files.classify/x.drl}. */
    static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? "body" : path;
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 instant such as 2026-11-20T10:00:00Z";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        return "a JSON object";
    }
}
