package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.RequestBudget;
import dev.bouncedoctor.model.WhiteSpace;
import dev.bouncedoctor.model.WorkAbandonedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Reads a raw mail with Mime4j into a flat list of parts (depth first); {@link Decoding} turns their bodies and header
 * fields into text. Memory is bounded: only the first {@link #MAX_MAIL_BYTES} of the mail and the first
 * {@link #MAX_PART_BYTES} of each part's decoded text are kept; a large attachment is skipped. A text part in base64 or
 * quoted-printable is kept as it came (all such parts together are no larger than the mail) and decoded when its text is
 * first asked for ({@link Part}).
 */
final class MimeReader {

    /** What is read of a mail; the bounce's own parts come first, so a cut only loses the returned attachment's tail. */
    static final int MAX_MAIL_BYTES = 10 * 1024 * 1024;
    static final int MAX_PART_BYTES = 512 * 1024;
    static final int MAX_PARTS = 400;
    /** Multiparts inside multiparts: bounces nest two or three deep; 50,000 deep took a minute to fail. */
    static final int MAX_DEPTH = 30;

    static byte[] readCapped(InputStream in) throws IOException {
        return in.readNBytes(MAX_MAIL_BYTES);
    }

    /** Lenient and unbounded in line and header length (bounce mails are often malformed); immutable, so built once. */
    private static final MimeConfig MAIL_CONFIG = MimeConfig.custom()
            .setStrictParsing(false)
            .setMaxLineLen(-1)
            .setMaxHeaderLen(-1)
            .setMaxHeaderCount(5_000)
            .setMaxContentLen(-1)
            .setMalformedHeaderStartsBody(true)
            .build();

    private static MimeStreamParser parser(Collector collector) {
        MimeStreamParser parser = new MimeStreamParser(MAIL_CONFIG);
        // Bodies are decoded by the Collector (see Decoding), so that a text body can stay encoded until it is used.
        parser.setContentDecoding(false);
        // A returned original (message/rfc822) arrives as one body: only its header is read, never its attachments.
        parser.setNoRecurse();
        parser.setContentHandler(collector);
        return parser;
    }

    Mail read(byte[] raw) {
        RawMail.check(raw);
        Collector collector = new Collector();
        try {
            parser(collector).parse(new ByteArrayInputStream(RawMail.prepared(raw)));
        } catch (MalformedMailException | WorkAbandonedException e) {
            throw e;
        } catch (MimeException | IOException | RuntimeException e) {
            throw new MalformedMailException("the mail cannot be parsed as MIME: " + e.getMessage(), e);
        }
        return new Mail(collector.top == null ? List.of() : collector.top, collector.topType == null ? "text/plain" : collector.topType, collector.parts);
    }

    /** Turns the parser's events into the flat part list; keeps the first MAX_PART_BYTES of each body and skips the rest. */
    private static final class Collector extends AbstractContentHandler {
        final List<Part> parts = new ArrayList<>();
        List<Field> top;
        String topType;
        private List<Field> fields = new ArrayList<>();
        private final ArrayDeque<int[]> multiparts = new ArrayDeque<>();

        @Override
        public void startHeader() {
            fields = new ArrayList<>();
        }

        @Override
        public void field(Field field) {
            fields.add(field);
        }

        @Override
        public void endHeader() {
            if (top == null) {
                top = fields;
            }
        }

        @Override
        public void startMultipart(BodyDescriptor bd) {
            if (topType == null) {
                topType = mediaType(bd.getMimeType());
            }
            if (multiparts.size() >= MAX_DEPTH) {
                throw new MalformedMailException("the mail nests multiparts more than " + MAX_DEPTH + " deep; a bounce nests two or three");
            }
            multiparts.push(new int[] {0});
        }

        @Override
        public void startBodyPart() {
            // A mail of many parts is the longest a parse runs: stop between two when the request's time is up.
            RequestBudget.check();
            if (!multiparts.isEmpty()) {
                multiparts.peek()[0]++;
            }
        }

        @Override
        public void preamble(InputStream is) throws IOException {
            // Kept in case no boundary ever occurs (seen in the wild): then the whole body is this preamble.
            pendingPreamble = is.readNBytes(MAX_PART_BYTES);
            drain(is);
        }

        /** Made a String only in the rare case that it is used. */
        private byte[] pendingPreamble;

        @Override
        public void endMultipart() {
            int[] count = multiparts.pop();
            if (count[0] == 0 && pendingPreamble != null && parts.size() < MAX_PARTS) {
                parts.add(new Part("text/plain", List.of(), new String(pendingPreamble, StandardCharsets.ISO_8859_1).trim(), false));
            }
            pendingPreamble = null;
        }

        @Override
        public void body(BodyDescriptor bd, InputStream is) throws IOException {
            String type = mediaType(bd.getMimeType());
            if (topType == null) {
                topType = type;
            }
            if (parts.size() >= MAX_PARTS) {
                drain(is);
                return;
            }
            String encoding = bd.getTransferEncoding();
            if (type.equals("message/rfc822") || type.equals("message/global")) {
                // Its text is the enclosed message as it came (bytes as ISO-8859-1 chars): a bounce that forwards another
                // bounce carries the report in there.
                byte[] message = Decoding.readDecoded(encoding, is, MAX_PART_BYTES);
                drain(is);
                parts.add(new Part("message/rfc822", headerFields(message), new String(message, StandardCharsets.ISO_8859_1), true));
                return;
            }
            if (!isTextual(type)) {
                drain(is);
                parts.add(new Part(type, fields, null, false));
                return;
            }
            boolean encoded = Decoding.isEncoded(encoding);
            // An encoded body is kept whole: its first MAX_PART_BYTES decoded may take more than MAX_PART_BYTES encoded.
            byte[] bytes = encoded ? is.readAllBytes() : is.readNBytes(MAX_PART_BYTES);
            drain(is);
            // Whether it is a spilt multipart shows in its first SPILT_PREFIX bytes (see isSpiltMultipart): only those are decoded now.
            if (spiltDepth < 2 && isSpiltMultipart(encoded ? Decoding.readDecoded(encoding, bytes, SPILT_PREFIX) : bytes)) {
                readSpiltMultipart(encoded ? Decoding.readDecoded(encoding, bytes, MAX_PART_BYTES) : bytes);
                return;
            }
            parts.add(Part.undecoded(type, fields, bytes, encoded ? encoding : null, bd.getCharset()));
        }

        private int spiltDepth;

        /**
         * A multipart whose boundary parameter sits on its own unindented line ("Content-Type: multipart/alternative;" then
         * "boundary=…", seen in Verizon and Apache James bounces) is no multipart to Mime4j: its body starts with that line.
         * Give the parameter back to a Content-Type and let Mime4j read the parts.
         */
        private void readSpiltMultipart(byte[] body) {
            // Bytes as ISO-8859-1 characters round-trip exactly. The parameter line ends the header, so a blank line follows it.
            String text = new String(body, StandardCharsets.ISO_8859_1);
            int lineEnd = text.indexOf('\n') + 1;
            String mail = "Content-Type: multipart/mixed; " + text.substring(0, lineEnd) + "\n" + text.substring(lineEnd);
            spiltDepth++;
            try {
                parser(this).parse(new ByteArrayInputStream(mail.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (WorkAbandonedException e) {
                throw e;
            } catch (MimeException | IOException | RuntimeException e) {
                parts.add(new Part("text/plain", List.of(), text, false));
            } finally {
                spiltDepth--;
            }
        }
    }

    /**
     * Skips what is left of a body. Most bodies have been read to their end already: one read says so, where transferTo would
     * first allocate and clear a buffer for nothing.
     */
    private static void drain(InputStream is) throws IOException {
        if (is.read() != -1) {
            is.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** How much of a body {@link #isSpiltMultipart} looks at. */
    private static final int SPILT_PREFIX = 200;

    /**
     * Whether a text body starts with a spilt multipart's boundary parameter line. This depends on its first SPILT_PREFIX bytes
     * alone: when they are all white space, the first test would look on, but the line cannot be found within them.
     */
    private static boolean isSpiltMultipart(byte[] body) {
        return mayStartWithBoundary(body)
                && SPILT_BOUNDARY.matcher(new String(body, 0, Math.min(body.length, SPILT_PREFIX), StandardCharsets.ISO_8859_1)).lookingAt();
    }

    /** Whether a body can start with {@link #SPILT_BOUNDARY}: its first byte that is not regex white space is a 'b'. */
    private static boolean mayStartWithBoundary(byte[] body) {
        for (byte b : body) {
            if (!WhiteSpace.is((char) (b & 0xff))) {
                return b == 'b' || b == 'B';
            }
        }
        return false;
    }

    private static final Pattern SPILT_BOUNDARY = Pattern.compile("\\s*boundary=\"?[^\r\n\"]+\"?[ \\t]*\\r?\\n", Pattern.CASE_INSENSITIVE);

    /** The header fields at the start of a returned original; its body is never parsed. */
    private static List<Field> headerFields(byte[] message) {
        List<Field> out = new ArrayList<>();
        MimeStreamParser parser = new MimeStreamParser(MAIL_CONFIG);
        parser.setFlat();
        parser.setContentHandler(new AbstractContentHandler() {
            @Override
            public void field(Field field) {
                out.add(field);
            }

            @Override
            public void endHeader() {
                parser.stop();
            }
        });
        try {
            parser.parse(new ByteArrayInputStream(message));
        } catch (MimeException | IOException | RuntimeException e) {
            // a damaged original header only loses its fields
        }
        return out;
    }

    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*");

    /**
     * The type/subtype alone. A Content-Type whose parameters lack their ';' ("text/plain" folded onto
     * "charset=…") reaches us as "text/plain charset=…": the parameters are not part of the type.
     */
    static String mediaType(String declared) {
        if (declared == null) {
            return "text/plain";
        }
        Matcher m = MEDIA_TYPE.matcher(declared);
        return m.lookingAt() ? m.group().toLowerCase(Locale.ROOT) : "text/plain";
    }

    private static boolean isTextual(String type) {
        return type.startsWith("text/") || type.startsWith("message/");
    }
}
