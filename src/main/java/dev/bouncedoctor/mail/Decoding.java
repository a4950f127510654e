package dev.bouncedoctor.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * From what a mail carries to text: transfer encodings (base64, quoted-printable, with Mime4j's own decoders), charsets
 * (the declared one when Java knows it, else a guess that never fails), and RFC 2047 encoded words in header fields.
 */
final class Decoding {

    private static final Pattern FOLD = Pattern.compile("\\r?\\n[ \\t]*");

    private Decoding() {
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
    static byte[] readDecoded(String transferEncoding, InputStream body, int max) throws IOException {
        InputStream in = decoded(transferEncoding, body);
        try {
            return in.readNBytes(max);
        } finally {
            if (in != body) {
                in.close();
            }
        }
    }

    static byte[] readDecoded(String transferEncoding, byte[] body, int max) throws IOException {
        return readDecoded(transferEncoding, new ByteArrayInputStream(body), max);
    }

    static boolean isEncoded(String transferEncoding) {
        return MimeUtil.isBase64Encoding(transferEncoding) || MimeUtil.isQuotedPrintableEncoded(transferEncoding);
    }

    /** The declared charset when Java knows it; otherwise UTF-8 if the bytes are valid UTF-8, else Windows-1252. */
    static String text(byte[] bytes, String declared) {
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
    static String field(String body) {
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
