package dev.bouncedoctor.model;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One email address in the single form the service stores and compares: the addr-spec (no display name, no angle
 * brackets), the local part exactly as given, the domain in its ASCII form, lower-cased.
 *
 * <p><b>The parser.</b> Jakarta Mail's {@link InternetAddress} in strict mode (RFC 822/5322). Both it and mime4j's
 * {@code DefaultAddressParser} (already here for MIME) were tried on the cases the API must refuse: mime4j's accepts
 * {@code "jane @example.com"}, {@code "jane@example.com."}, {@code "jane..doe@example.com"} and
 * {@code "jane@example..com"}; {@code InternetAddress} refuses all of them (as well as {@code "jane@gmail,com"},
 * {@code "x@y@z.com"}, {@code "mailto:jane@example.com"}, {@code "jane@"}, {@code "@example.com"}) and says why, and it
 * accepts an RFC 6531 (SMTPUTF8) local part such as {@code "jäne@bücher.de"}. A dot-dot local part is refused: it is not
 * an RFC 5322 dot-atom, and a quoted {@code "\"jane..doe\"@example.com"} is still accepted for the rare mailbox that
 * really has one. RFC 822 groups ({@code "team: a@b.example;"}) are refused: a fact is about one recipient.
 *
 * <p><b>Internationalised domains.</b> {@code jane@bücher.de} and {@code jane@xn--bcher-kva.de} are one mailbox, so the
 * domain is stored in one form: the ASCII (punycode) one, from {@link IDN#toASCII(String, int)} with
 * {@link IDN#USE_STD3_ASCII_RULES}, lower-cased. ASCII because it is what DNS and the SMTP envelope carry, what bounce
 * mails and providers report (a DSN's Final-Recipient is rfc822;ASCII), and it compares byte for byte in H2 and PostgreSQL
 * alike whatever their collation; ToASCII also folds case and Unicode variants (nameprep), so {@code BÜCHER.de} is the
 * same domain. Java's IDN implements IDNA2003: a domain with characters outside Unicode 3.2 is refused, with a hint to
 * send its xn-- form, which is accepted as it is. A domain literal ({@code [192.0.2.1]}) is only lower-cased.
 *
 * <p><b>Local parts</b> are kept as given: RFC 5321 leaves their case (and any other equivalence) to the receiving
 * server, so {@code Jane@example.com} and {@code jane@example.com} stay two recipients.
 */
public final class Addresses {

    /** RFC 5321 4.5.3.1: a local part of at most 64 octets, a path of at most 256 (the address plus its angle brackets). */
    static final int MAX_LOCAL_OCTETS = 64;
    static final int MAX_ADDRESS_OCTETS = 254;

    private Addresses() {
    }

    /** Why a text is not one email address, in words a caller can act on. */
    public static final class InvalidAddressException extends Exception {
        InvalidAddressException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The canonical addr-spec of one address, given alone ({@code jane@example.com}) or with a display name
     * ({@code Jane <jane@Example.COM>}).
     *
     * @throws InvalidAddressException when the text is not exactly one valid address
     */
    public static String canonical(String raw) throws InvalidAddressException {
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            throw new InvalidAddressException("it is empty");
        }
        InternetAddress parsed;
        try {
            parsed = new InternetAddress(value, true);
        } catch (AddressException e) {
            throw new InvalidAddressException(reason(e));
        }
        if (parsed.isGroup()) {
            throw new InvalidAddressException("it is a group of addresses; give one address");
        }
        String spec = parsed.getAddress();
        // A quoted local part may hold an '@'; the domain never does.
        int at = spec.lastIndexOf('@');
        if (at <= 0 || at == spec.length() - 1) {
            throw new InvalidAddressException("it has no local part and domain");
        }
        String local = spec.substring(0, at);
        String domain = asciiDomain(spec.substring(at + 1));
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_OCTETS) {
            throw new InvalidAddressException("its local part is longer than " + MAX_LOCAL_OCTETS + " octets (RFC 5321)");
        }
        String canonical = local + "@" + domain;
        if (canonical.getBytes(StandardCharsets.UTF_8).length > MAX_ADDRESS_OCTETS) {
            throw new InvalidAddressException("it is longer than " + MAX_ADDRESS_OCTETS + " octets (RFC 5321)");
        }
        return canonical;
    }

    /** {@link #canonical} when the text is a valid address, else the text as it came (trimmed): for addresses found in mails. */
    public static String canonicalOrAsFound(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return canonical(raw);
        } catch (InvalidAddressException e) {
            return raw.strip();
        }
    }

    private static String asciiDomain(String domain) throws InvalidAddressException {
        if (domain.startsWith("[")) {
            return domain.toLowerCase(Locale.ROOT);
        }
        try {
            return IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new InvalidAddressException("its domain '" + domain + "' is not a valid domain name (" + e.getMessage()
                    + "); check its spelling, or send the domain in its ASCII xn-- form");
        }
    }

    /**
     * The parser's own reason ("Domain ends with dot", "Local address contains dot-dot"), as a clause. getMessage() is the
     * reason alone; toString() would add the string and position, which the caller's error already names.
     */
    private static String reason(AddressException e) {
        String why = e.getMessage() == null ? "" : e.getMessage().strip();
        return why.isEmpty() ? "it cannot be parsed" : why.substring(0, 1).toLowerCase(Locale.ROOT) + why.substring(1);
    }
}
