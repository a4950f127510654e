package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.WhiteSpace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * Reads a raw mail with Mime4j into a flat list of parts (depth first), decoding transfer encodings,
 * charsets and encoded words. Memory is bounded: only the first {@link #MAX_MAIL_BYTES} of the mail
 * and the first {@link #MAX_PART_BYTES} of each part's decoded text are kept; a large attachment is skipped.
 * A text part in base64 or quoted-printable is kept as it came (all such parts together are no larger than
 * the mail) and decoded when its text is first asked for: many are never read (the HTML twin of a plain text).
 */
final class MimeReader {

    /** What is read of a mail; the bounce's own parts come first, so a cut only loses the returned attachment's tail. */
    static final int MAX_MAIL_BYTES = 10 * 1024 * 1024;
    static final int MAX_PART_BYTES = 512 * 1024;
    static final int MAX_PARTS = 400;
    private static final java.util.regex.Pattern FOLD = java.util.regex.Pattern.compile("\\r?\\n[ \\t]*");

    /**
     * One leaf of the MIME tree, or an enclosed message: then {@code fields} is its header and {@code text} the whole
     * enclosed message, undecoded, its bytes as ISO-8859-1 characters (at most {@link #MAX_PART_BYTES}).
     */
    static final class Part {
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

        private Part(String type, List<Field> fields, LazyText lazy) {
            this(type, fields, null, false);
            this.lazy = lazy;
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
            for (Field f : fields) {
                if (f.getName().equalsIgnoreCase(name)) {
                    return decode(f.getBody());
                }
            }
            return null;
        }
    }

    /** A text body as it came, its transfer encoding and declared charset: decoded as the parser would have decoded it. */
    private record LazyText(byte[] body, String transferEncoding, String charset) {
        String decode() {
            if (transferEncoding == null) {
                return decodeText(body, charset);
            }
            try {
                return decodeText(readDecoded(transferEncoding, body, MAX_PART_BYTES), charset);
            } catch (IOException e) {
                // Not from a byte array, nor from the decoders, which are lenient (DecodeMonitor.SILENT).
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    record Mail(List<Field> fields, String type, List<Part> parts) {
        String field(String name) {
            return new Part(type, fields, null, false).field(name);
        }

        List<String> all(String name) {
            List<String> values = new ArrayList<>();
            for (Field f : fields) {
                if (f.getName().equalsIgnoreCase(name)) {
                    values.add(decode(f.getBody()));
                }
            }
            return values;
        }
    }

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
        // Bodies are decoded by the Collector (see decoded()), so that a text body can stay encoded until it is used.
        parser.setContentDecoding(false);
        // A returned original (message/rfc822) arrives as one body: only its header is read, never its attachments.
        parser.setNoRecurse();
        parser.setContentHandler(collector);
        return parser;
    }

    Mail read(byte[] raw) {
        checkLooksLikeMail(raw);
        Collector collector = new Collector();
        try {
            parser(collector).parse(new ByteArrayInputStream(fixLineEnds(withoutMboxLine(raw))));
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
        private final java.util.ArrayDeque<int[]> multiparts = new java.util.ArrayDeque<>();

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
            multiparts.push(new int[] {0});
        }

        @Override
        public void startBodyPart() {
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
                byte[] message = readDecoded(encoding, is, MAX_PART_BYTES);
                drain(is);
                parts.add(new Part("message/rfc822", headerFields(message), new String(message, StandardCharsets.ISO_8859_1), true));
                return;
            }
            if (!isTextual(type)) {
                drain(is);
                parts.add(new Part(type, fields, null, false));
                return;
            }
            boolean encoded = isEncoded(encoding);
            // An encoded body is kept whole: its first MAX_PART_BYTES decoded may take more than MAX_PART_BYTES encoded.
            byte[] bytes = encoded ? is.readAllBytes() : is.readNBytes(MAX_PART_BYTES);
            drain(is);
            // Whether it is a spilt multipart shows in its first SPILT_PREFIX bytes (see isSpiltMultipart): only those are decoded now.
            if (spiltDepth < 2 && isSpiltMultipart(encoded ? readDecoded(encoding, bytes, SPILT_PREFIX) : bytes)) {
                readSpiltMultipart(encoded ? readDecoded(encoding, bytes, MAX_PART_BYTES) : bytes);
                return;
            }
            parts.add(new Part(type, fields, new LazyText(bytes, encoded ? encoding : null, bd.getCharset())));
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

    /**
     * The body as Mime4j's parser decodes it with content decoding on (MimeEntity, with the DecodeMonitor of a lenient
     * MimeConfig), the same decoder streams; unchanged for any other transfer encoding.
     */
    private static InputStream decoded(String transferEncoding, InputStream body) {
        if (MimeUtil.isBase64Encoding(transferEncoding)) {
            return new Base64InputStream(body, DecodeMonitor.SILENT);
        }
        if (MimeUtil.isQuotedPrintableEncoded(transferEncoding)) {
            return new QuotedPrintableInputStream(body, DecodeMonitor.SILENT);
        }
        return body;
    }

    /** The first {@code max} bytes of the body decoded. Closing a decoder gives its buffers back to Mime4j's recycler; the body stays open. */
    private static byte[] readDecoded(String transferEncoding, InputStream body, int max) throws IOException {
        InputStream in = decoded(transferEncoding, body);
        try {
            return in.readNBytes(max);
        } finally {
            if (in != body) {
                in.close();
            }
        }
    }

    private static byte[] readDecoded(String transferEncoding, byte[] body, int max) throws IOException {
        return readDecoded(transferEncoding, new ByteArrayInputStream(body), max);
    }

    private static boolean isEncoded(String transferEncoding) {
        return MimeUtil.isBase64Encoding(transferEncoding) || MimeUtil.isQuotedPrintableEncoded(transferEncoding);
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

    private static final java.util.regex.Pattern SPILT_BOUNDARY = java.util.regex.Pattern.compile("\\s*boundary=\"?[^\r\n\"]+\"?[ \\t]*\\r?\\n", java.util.regex.Pattern.CASE_INSENSITIVE);

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

    /** A line that is a header field, "Name: value" (RFC 5322 field-name characters). */
    static final java.util.regex.Pattern HEADER_FIELD_LINE = java.util.regex.Pattern.compile("[!-9;-~]+[ \\t]*:.*");

    /**
     * The control bytes that text does not hold: all below 0x20 but CR, LF, tab, ESC (ISO-2022-JP) and form feed. A table, as
     * the chain of tests mispredicts at every line end of every mail.
     */
    private static final boolean[] BINARY_CONTROL = new boolean[256];

    static {
        for (int b = 0; b < 0x20; b++) {
            BINARY_CONTROL[b] = b != '\r' && b != '\n' && b != '\t' && b != 0x1b && b != 0x0c;
        }
    }

    /** Rejects what is plainly not a mail before any MIME work: empty, binary, or not starting with a header field. */
    private static void checkLooksLikeMail(byte[] raw) {
        int start = 0;
        while (start < raw.length && (raw[start] == '\r' || raw[start] == '\n' || raw[start] == ' ' || raw[start] == '\t')) {
            start++;
        }
        if (start == raw.length) {
            throw new MalformedMailException("the body is empty; send one raw mail (header fields, a blank line, the body) as message/rfc822");
        }
        int probe = Math.min(raw.length, 4 * 1024);
        int control = 0;
        for (int i = 0; i < probe; i++) {
            if (BINARY_CONTROL[raw[i] & 0xff]) {
                control++;
            }
        }
        if (control * 20 > probe) {
            throw new MalformedMailException("the body is binary data, not a mail; send the raw message/rfc822 text");
        }
        int end = start;
        while (end < raw.length && raw[end] != '\n' && raw[end] != '\r' && end - start < 1000) {
            end++;
        }
        String first = new String(raw, start, end - start, StandardCharsets.ISO_8859_1);
        if (!first.startsWith("From ") && !HEADER_FIELD_LINE.matcher(first).matches()) {
            throw new MalformedMailException("the body does not start with a mail header field ('Name: value'); send the raw mail, headers first, as message/rfc822");
        }
    }

    /** An mbox "From " separator line is not a header field; left in, Mime4j would take it as the start of the body. */
    private static byte[] withoutMboxLine(byte[] raw) {
        if (raw.length < 5 || raw[0] != 'F' || raw[1] != 'r' || raw[2] != 'o' || raw[3] != 'm' || raw[4] != ' ') {
            return raw;
        }
        int i = 0;
        while (i < raw.length && raw[i] != '\n') {
            i++;
        }
        return java.util.Arrays.copyOfRange(raw, Math.min(i + 1, raw.length), raw.length);
    }

    /** Mime4j splits lines on LF; a mail with old Mac CR line ends becomes one line unless the lone CRs are turned into LFs. */
    private static byte[] fixLineEnds(byte[] raw) {
        if (!hasLoneCr(raw)) {
            return raw;
        }
        byte[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == '\r' && (i + 1 == out.length || out[i + 1] != '\n')) {
                out[i] = '\n';
            }
        }
        return out;
    }

    /**
     * Whether a CR is not followed by LF. The CRs are found with String.indexOf, which the JVM searches many bytes at a time; a
     * copy of the mail as ISO-8859-1 characters (one per byte) costs less than testing each byte in a loop.
     */
    private static boolean hasLoneCr(byte[] raw) {
        String chars = new String(raw, StandardCharsets.ISO_8859_1);
        for (int cr = chars.indexOf('\r'); cr >= 0; cr = chars.indexOf('\r', cr + 1)) {
            if (cr + 1 == raw.length || raw[cr + 1] != '\n') {
                return true;
            }
        }
        return false;
    }

    private static final java.util.regex.Pattern MEDIA_TYPE = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*");

    /**
     * The type/subtype alone. A Content-Type whose parameters lack their ';' ("text/plain" folded onto
     * "charset=…") reaches us as "text/plain charset=…": the parameters are not part of the type.
     */
    static String mediaType(String declared) {
        if (declared == null) {
            return "text/plain";
        }
        java.util.regex.Matcher m = MEDIA_TYPE.matcher(declared);
        return m.lookingAt() ? m.group().toLowerCase(Locale.ROOT) : "text/plain";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static boolean isTextual(String type) {
        return type.startsWith("text/") || type.startsWith("message/");
    }

    /** The declared charset when Java knows it; otherwise UTF-8 if the bytes are valid UTF-8, else Windows-1252. */
    static String decodeText(byte[] bytes, String declared) {
        boolean ascii = isAscii(bytes);
        if (ascii && hasIso2022JpEscape(bytes)) {
            // ISO-2022-JP is 7-bit: its escapes are the only sign of it, and they also occur where no charset is declared
            // (a Diagnostic-Code in a message/delivery-status part) or where the declared one is wrong.
            return new String(bytes, Iso2022Jp.CHARSET);
        }
        if (ascii) {
            // Most bounce text is plain ASCII, which every charset of mail agrees on (ISO-2022-JP aside, whose escapes the declared charset handles).
            if (declared == null || !declared.regionMatches(true, 0, "iso-2022", 0, 8) && !declared.regionMatches(true, 0, "utf-7", 0, 5)) {
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
        Charset charset = null;
        if (declared != null && !declared.equalsIgnoreCase("us-ascii")) {
            try {
                charset = Charset.forName(declared.trim());
            } catch (RuntimeException unknown) {
                charset = null;
            }
        }
        if (charset != null) {
            return new String(bytes, charset);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1252"));
        }
    }

    /**
     * Looked up once, on first use: Charset.forName searches the extended providers (jdk.charsets) on every call for a charset
     * outside its two-entry cache.
     */
    private static final class Iso2022Jp {
        static final Charset CHARSET = Charset.forName("ISO-2022-JP");
    }

    /** ESC $ @, ESC $ B (JIS X 0208) or ESC ( J / ESC ( I (JIS X 0201): the designations ISO-2022-JP switches with. */
    private static boolean hasIso2022JpEscape(byte[] bytes) {
        for (int i = 0; i + 2 < bytes.length; i++) {
            if (bytes[i] == 0x1b && (bytes[i + 1] == '$' && (bytes[i + 2] == 'B' || bytes[i + 2] == '@')
                    || bytes[i + 1] == '(' && (bytes[i + 2] == 'J' || bytes[i + 2] == 'I'))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** A header field body unfolded, with RFC 2047 encoded words decoded. */
    static String decode(String body) {
        if (body == null) {
            return null;
        }
        String unfolded = body.indexOf('\n') < 0 ? body.trim() : FOLD.matcher(body).replaceAll(" ").trim();
        try {
            return DecoderUtil.decodeEncodedWords(unfolded, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return unfolded;
        }
    }
}
