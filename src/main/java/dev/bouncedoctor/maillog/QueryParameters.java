package dev.bouncedoctor.maillog;

import dev.bouncedoctor.engine.Normaliser;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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
            errors.add(new FieldError(field, "'" + shorten(raw) + "' is not an ISO-8601 instant such as 2026-11-20T10:00:00Z"));
            return null;
        }
    }

    /**
     * A page and its size, checked together: each a whole number in its range, and the first row they name
     * (page × size) one the database can be asked for, so that a huge page is a 400 rather than an overflowing offset.
     */
    static Paging paging(String rawPage, String rawSize, List<FieldError> errors) {
        Long page = whole(rawPage, "page", errors);
        Long size = whole(rawSize, "size", errors);
        int p = 0;
        int s = DEFAULT_PAGE_SIZE;
        if (page != null) {
            if (page < 0) {
                errors.add(new FieldError("page", "pages count from 0; got " + page));
            } else {
                p = (int) Math.min(page, Integer.MAX_VALUE);
            }
        }
        if (size != null) {
            if (size < 1 || size > MAX_PAGE_SIZE) {
                errors.add(new FieldError("size", "give a page size from 1 to " + MAX_PAGE_SIZE + "; got " + size));
            } else {
                s = size.intValue();
            }
        }
        if ((long) p * s > Integer.MAX_VALUE) {
            errors.add(new FieldError("page", "page " + p + " of " + s + " starts past the last row that can be asked for; give a page below "
                    + (Integer.MAX_VALUE / s + 1)));
        }
        return new Paging(p, s);
    }

    record Paging(int page, int size) {
    }

    /** A whole number, or null when not given; anything else is a field error. */
    private static Long whole(String raw, String field, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "give a whole number; got '" + shorten(raw) + "'"));
            return null;
        }
    }

    /** An event id from the path: a positive whole number, else a 400 naming it. */
    static long id(String raw) {
        List<FieldError> errors = new ArrayList<>();
        Long id = whole(raw, "id", errors);
        if (id == null && errors.isEmpty() || id != null && id < 1) {
            errors.add(new FieldError("id", "an event id is a positive whole number; got '" + shorten(raw) + "'"));
        }
        throwIfAny(errors);
        return id;
    }

    /** true, false, or not given (false); anything else is a field error rather than a silent false. */
    static boolean flag(String raw, String field, List<FieldError> errors) {
        if (raw == null || raw.isBlank() || raw.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (raw.trim().equalsIgnoreCase("true")) {
            return true;
        }
        errors.add(new FieldError(field, "give true or false; got '" + shorten(raw) + "'"));
        return false;
    }

    /** A value quoted back in an error, cut short: the answer to a 5 kB parameter need not repeat it. */
    static String shorten(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "…";
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
