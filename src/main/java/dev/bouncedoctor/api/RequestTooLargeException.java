package dev.bouncedoctor.api;

/** A request over one of the service's limits: answered 413 with the field and the limit, before any work is done. */
public class RequestTooLargeException extends RuntimeException {

    private final String field;

    public RequestTooLargeException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
