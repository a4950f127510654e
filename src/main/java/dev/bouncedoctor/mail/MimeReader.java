package dev.bouncedoctor.mail;

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
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.BinaryBody;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.BodyFactory;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Reads a raw mail with Mime4j into a flat list of parts (depth first), decoding transfer encodings,
 * charsets and encoded words. Memory is bounded: only the first {@link #MAX_MAIL_BYTES} of the mail
 * and the first {@link #MAX_PART_BYTES} of each part are kept; a large attachment is skipped.
 */
final class MimeReader {

    /** What is read of a mail; the bounce's own parts come first, so a cut only loses the returned attachment's tail. */
    static final int MAX_MAIL_BYTES = 10 * 1024 * 1024;
    static final int MAX_PART_BYTES = 512 * 1024;
    static final int MAX_DEPTH = 12;
    static final int MAX_PARTS = 400;
    private static final java.util.regex.Pattern FOLD = java.util.regex.Pattern.compile("\\r?\\n[ \\t]*");

    /** One leaf of the MIME tree, or the header of an enclosed message. */
    record Part(String type, List<Field> fields, String text, boolean enclosed) {

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

    Mail read(byte[] raw) {
        checkLooksLikeMail(raw);
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.custom()
                .setStrictParsing(false)
                .setMaxLineLen(-1)
                .setMaxHeaderLen(-1)
                .setMaxHeaderCount(5_000)
                .setMaxContentLen(-1)
                .setMalformedHeaderStartsBody(true)
                .build());
        builder.setBodyFactory(new CappedBodyFactory());
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        Message message;
        try {
            message = builder.parseMessage(new ByteArrayInputStream(fixLineEnds(withoutMboxLine(raw))));
        } catch (IOException | RuntimeException e) {
            throw new MalformedMailException("the mail cannot be parsed as MIME: " + e.getMessage(), e);
        }
        List<Part> parts = new ArrayList<>();
        walk(message, false, 0, parts);
        return new Mail(message.getHeader().getFields(), mimeType(message), parts);
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
            int b = raw[i] & 0xff;
            if (b < 0x20 && b != '\r' && b != '\n' && b != '\t' && b != 0x1b && b != 0x0c) {
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
        if (!first.startsWith("From ") && !first.matches("[!-9;-~]+[ \\t]*:.*")) {
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
        boolean loneCr = false;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\r' && (i + 1 == raw.length || raw[i + 1] != '\n')) {
                loneCr = true;
                break;
            }
        }
        if (!loneCr) {
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

    private static void walk(Entity entity, boolean enclosed, int depth, List<Part> out) {
        if (depth > MAX_DEPTH || out.size() >= MAX_PARTS) {
            return;
        }
        Body body = entity.getBody();
        String type = mimeType(entity);
        if (body instanceof Multipart multipart) {
            if (multipart.getBodyParts().isEmpty()) {
                // A boundary that never occurs (seen in the wild): the whole body lands in the preamble; read it as text.
                String text = (nullToEmpty(multipart.getPreamble()) + "\n" + nullToEmpty(multipart.getEpilogue())).trim();
                out.add(new Part("text/plain", List.of(), text, enclosed));
                return;
            }
            for (Entity child : multipart.getBodyParts()) {
                walk(child, enclosed, depth + 1, out);
            }
        } else if (body instanceof Message inner) {
            // The returned original: keep its header (who it was sent to) and look into it for nested reports.
            out.add(new Part("message/rfc822", inner.getHeader().getFields(), null, true));
            walk(inner, true, depth + 1, out);
        } else if (body instanceof SingleBody single) {
            String text = null;
            // The returned original's own text is never evidence; its reports (a bounce forwarded as a whole) are.
            if (isTextual(type) && (!enclosed || type.startsWith("message/") || type.equals("text/rfc822-headers"))) {
                text = text(single, entity.getCharset());
            }
            List<Field> fields = entity.getHeader() == null ? List.of() : entity.getHeader().getFields();
            out.add(new Part(type, fields, text, enclosed));
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String mimeType(Entity entity) {
        String type = entity.getMimeType();
        return type == null ? "text/plain" : type.toLowerCase(Locale.ROOT);
    }

    private static boolean isTextual(String type) {
        return type.startsWith("text/") || type.startsWith("message/");
    }

    /** The declared charset when Java knows it; otherwise UTF-8 if the bytes are valid UTF-8, else Windows-1252. */
    private static String text(SingleBody body, String declared) {
        byte[] bytes;
        try (InputStream in = body.getInputStream()) {
            bytes = in.readNBytes(MAX_PART_BYTES);
        } catch (IOException e) {
            return "";
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

    /** Keeps the first MAX_PART_BYTES of every body and skips the rest, so a 20 MB attachment costs a read, not memory. */
    private static final class CappedBodyFactory implements BodyFactory {
        private final BasicBodyFactory basic = new BasicBodyFactory(true);

        @Override
        public BinaryBody binaryBody(InputStream is) throws IOException {
            return basic.binaryBody(head(is));
        }

        @Override
        public TextBody textBody(InputStream is, String mimeCharset) throws IOException {
            return basic.textBody(new ByteArrayInputStream(head(is)), mimeCharset);
        }

        private static byte[] head(InputStream is) throws IOException {
            byte[] head = is.readNBytes(MAX_PART_BYTES);
            is.transferTo(OutputStream.nullOutputStream());
            return head;
        }
    }
}
