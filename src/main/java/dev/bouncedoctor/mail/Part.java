package dev.bouncedoctor.mail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.james.mime4j.stream.Field;

/**
 * One leaf of a mail's MIME tree, or an enclosed message: then {@code fields} is its header and {@code text} the whole
 * enclosed message, undecoded, its bytes as ISO-8859-1 characters (at most {@link MimeReader#MAX_PART_BYTES}). A text
 * body in base64 or quoted-printable is kept as it came and decoded when its text is first asked for: many are never
 * read (the HTML twin of a plain text).
 */
final class Part {
    private final String type;
    private final List<Field> fields;
    private final boolean enclosed;
    private String text;
    /** The body still to be decoded into {@link #text}, or null once it is (or when there is none). */
    private LazyText lazy;

    Part(String type, List<Field> fields, String text, boolean enclosed) {
        this.type = type;
        this.fields = fields;
        this.text = text;
        this.enclosed = enclosed;
    }

    /** A text body as it came, its transfer encoding (null when none needs decoding) and its declared charset. */
    static Part undecoded(String type, List<Field> fields, byte[] body, String transferEncoding, String charset) {
        Part part = new Part(type, fields, null, false);
        part.lazy = new LazyText(body, transferEncoding, charset);
        return part;
    }

    /** A text body as it came: decoded as the parser would have decoded it. */
    private record LazyText(byte[] body, String transferEncoding, String charset) {
        String decode() {
            if (transferEncoding == null) {
                return Decoding.text(body, charset);
            }
            try {
                return Decoding.text(Decoding.readDecoded(transferEncoding, body, MimeReader.MAX_PART_BYTES), charset);
            } catch (IOException e) {
                // Not from a byte array, nor from the decoders, which are lenient (DecodeMonitor.SILENT).
                throw new UncheckedIOException(e);
            }
        }
    }

    String type() {
        return type;
    }

    List<Field> fields() {
        return fields;
    }

    /** The decoded text, null for a part that is not text (an attachment); decoded on first call. */
    String text() {
        if (lazy != null) {
            text = lazy.decode();
            lazy = null;
        }
        return text;
    }

    boolean enclosed() {
        return enclosed;
    }

    /** The first field of that name, unfolded, encoded words decoded; null when absent. */
    String field(String name) {
        return field(fields, name);
    }

    /** The first of these fields with that name, unfolded, encoded words decoded; null when absent. */
    static String field(List<Field> fields, String name) {
        for (Field f : fields) {
            if (f.getName().equalsIgnoreCase(name)) {
                return Decoding.field(f.getBody());
            }
        }
        return null;
    }
}
