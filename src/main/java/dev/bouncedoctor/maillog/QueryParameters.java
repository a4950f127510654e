package dev.bouncedoctor.maillog;

import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The read services' parameters, checked: each collects what is wrong into a list of field errors,
 * so that one answer names every field to fix.
 */
final class QueryParameters {

    static final int MAX_PAGE_SIZE = 500;
    static final int DEFAULT_PAGE_SIZE = 50;

    private static final Normaliser NORMALISER = new Normaliser();

    private QueryParameters() {
    }

    /** An address in the mail log's one form (README "Addresses"); throws a 400 naming the field. */
    static String address(String raw, String field) {
        return NORMALISER.address(raw, field);
    }

    /** An optional address filter: null when not given. */
    static String address(String raw, String field, List<FieldError> errors) {
        return raw == null ? null : requiredAddress(raw, field, errors);
    }

    static String requiredAddress(String raw, String field, List<FieldError> errors) {
        try {
            return NORMALISER.address(raw, field);
        } catch (InvalidFactException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    static Instant instant(String raw, String field, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + raw + "' is not an ISO-8601 instant such as 2026-11-20T10:00:00Z"));
            return null;
        }
    }

    static int page(Integer page, List<FieldError> errors) {
        if (page == null) {
            return 0;
        }
        if (page < 0) {
            errors.add(new FieldError("page", "pages count from 0; got " + page));
        }
        return Math.max(page, 0);
    }

    static int size(Integer size, List<FieldError> errors) {
        if (size == null) {
            return DEFAULT_PAGE_SIZE;
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            errors.add(new FieldError("size", "give a page size from 1 to " + MAX_PAGE_SIZE + "; got " + size));
            return DEFAULT_PAGE_SIZE;
        }
        return size;
    }

    /** A blank text filter is no filter. */
    static String text(String raw) {
        return raw == null || raw.isBlank() ? null : raw.trim();
    }

    static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
    }
}
