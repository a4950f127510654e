package dev.bouncedoctor.model;

import java.util.List;

/** A fact the service cannot diagnose, with every field that needs fixing. */
public class InvalidFactException extends RuntimeException {

    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    public InvalidFactException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("invalid fact"));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The same errors with their field names prefixed, e.g. {@code [3].enhancedCode} in a batch. */
    public InvalidFactException prefixed(String prefix) {
        return new InvalidFactException(errors.stream().map(e -> new FieldError(prefix + e.field(), e.message())).toList());
    }
}
