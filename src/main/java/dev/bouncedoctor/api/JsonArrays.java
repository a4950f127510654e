package dev.bouncedoctor.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.InvalidFactException.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON array of items one at a time and stops at the first item over the limit: a batch is refused while
 * it is read, before three million empty objects have become three million Java objects. Jackson's own exceptions
 * go on to the problem mappers, which name the field ({@code [3].smtpCode}).
 */
final class JsonArrays {

    private JsonArrays() {
    }

    /** The items, at most {@code max}; over it, a 413 naming the limit ({@code limitName}, its configuration key). */
    static <T> List<T> read(ObjectMapper json, InputStream body, Class<T> type, int max, String limitName) throws IOException {
        try (JsonParser parser = json.getFactory().createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new InvalidFactException(List.of(new FieldError("body", "send a JSON array of at least one item")));
            }
            // One item at a time: the items after it are not "trailing content".
            ObjectReader reader = json.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            List<T> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (items.size() == max) {
                    throw new RequestTooLargeException("body", "the batch holds more than " + max + " items; send at most " + max
                            + " per request (" + limitName + ")");
                }
                try {
                    items.add(reader.readValue(parser));
                } catch (JsonMappingException e) {
                    // Name the field as the whole array would: [3].smtpCode.
                    e.prependPath(items, items.size());
                    throw e;
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidFactException(List.of(new FieldError("body", "the array is followed by more content; send one JSON array")));
            }
            if (items.isEmpty()) {
                throw new InvalidFactException(List.of(new FieldError("body", "send a JSON array of at least one item")));
            }
            return items;
        }
    }
}
