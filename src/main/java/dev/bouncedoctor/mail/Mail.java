package dev.bouncedoctor.mail;

import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.stream.Field;

/** A mail as {@link MimeReader} read it: its top header fields, its media type, and its parts flattened depth first. */
record Mail(List<Field> fields, String type, List<Part> parts) {

    /** The first header field of that name, unfolded, encoded words decoded; null when absent. */
    String field(String name) {
        return Part.field(fields, name);
    }

    /** Every header field of that name, in order, each unfolded and decoded. */
    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Field f : fields) {
            if (f.getName().equalsIgnoreCase(name)) {
                values.add(Decoding.field(f.getBody()));
            }
        }
        return values;
    }
}
