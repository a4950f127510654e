package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.Addresses;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.SmtpCodes;
import dev.bouncedoctor.model.WhiteSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generic clean-up before the rules run: trims, folds white space, lower-cases the words that are
 * compared, and pulls the reply code (RFC 5321) and enhanced status code (RFC 3463) out of the
 * message when the caller did not give them ({@link SmtpCodes}, shared with the bounce parser). It knows the
 * syntax of codes, never their meaning.
 */
public final class Normaliser {

    /** Longest message accepted: a diagnostic text, not a whole mail. */
    public static final int MAX_MESSAGE_LENGTH = 20_000;

    // A reply code that opens the text, possibly after a DSN "Diagnostic-Code: smtp;" prefix.
    private static final Pattern LEADING_REPLY = Pattern.compile("^(?:diagnostic-code:\\s*)?(?:(?:smtp|x-[\\w-]+)\\s*;\\s*)?(" + SmtpCodes.REPLY + ")(?![\\d.])", Pattern.CASE_INSENSITIVE);
    // A reply code quoted after the usual "said:" / "smtp;" / "reply:" of bounce texts.
    private static final Pattern QUOTED_REPLY = Pattern.compile("(?:smtp\\s*;|said:|reply:|response:|replied:|error:)\\s*\\(?(" + SmtpCodes.REPLY + ")(?![\\d.])", Pattern.CASE_INSENSITIVE);

    private final boolean strictAddresses;

    /** A normaliser for what callers send: an address that does not parse is an error naming its field. */
    public Normaliser() {
        this(true);
    }

    private Normaliser(boolean strictAddresses) {
        this.strictAddresses = strictAddresses;
    }

    /**
     * A normaliser for facts extracted from a raw bounce mail: real bounces carry odd addresses, and a recipient the mail
     * reports on must never be dropped or fail the mail, so an address is canonicalised when it parses and kept as the
     * mail has it otherwise.
     */
    public static Normaliser forParsedMail() {
        return new Normaliser(false);
    }

    public DeliveryFact normalise(DeliveryFact in) {
        if (in == null) {
            throw new InvalidFactException(List.of(new InvalidFactException.FieldError("body", "send one fact as a JSON object")));
        }
        List<InvalidFactException.FieldError> errors = new ArrayList<>();
        String message = blankToNull(in.message());
        if (message != null) {
            message = WhiteSpace.fold(message).trim();
            if (message.length() > MAX_MESSAGE_LENGTH) {
                errors.add(new InvalidFactException.FieldError("message",
                        "is " + message.length() + " characters long; send the diagnostic text only (at most " + MAX_MESSAGE_LENGTH + ")"));
            }
        }
        String enhancedCode = blankToNull(in.enhancedCode());
        if (enhancedCode != null && !SmtpCodes.isEnhancedCode(enhancedCode)) {
            errors.add(new InvalidFactException.FieldError("enhancedCode",
                    "'" + enhancedCode + "' is not an RFC 3463 class.subject.detail code; use e.g. \"5.1.1\" (class 2, 4 or 5)"));
        }
        Integer smtpCode = in.smtpCode();
        if (smtpCode != null && (smtpCode < 200 || smtpCode > 599)) {
            errors.add(new InvalidFactException.FieldError("smtpCode", smtpCode + " is not an SMTP reply code; use a number from 200 to 599, e.g. 550"));
        }
        String recipient = address(in.recipient(), "recipient", errors);
        String sender = address(in.sender(), "sender", errors);
        String status = lower(in.status());
        String provider = lower(in.provider());
        if (status == null && smtpCode == null && enhancedCode == null && message == null && in.errorCode() == null) {
            errors.add(new InvalidFactException.FieldError("status|smtpCode|enhancedCode|message|errorCode",
                    "no evidence: give at least one of status, smtpCode, enhancedCode, message or errorCode"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        if (message != null && (smtpCode == null || enhancedCode == null)) {
            Matcher pair = SmtpCodes.CODE_PAIR.matcher(message);
            if (SmtpCodes.find(pair, message, 0)) {
                smtpCode = smtpCode != null ? smtpCode : Integer.valueOf(pair.group(1));
                enhancedCode = enhancedCode != null ? enhancedCode : pair.group(2);
            }
            if (smtpCode == null) {
                smtpCode = firstCode(message);
            }
            if (enhancedCode == null) {
                enhancedCode = SmtpCodes.firstEnhancedCode(message);
            }
        }
        return new DeliveryFact(recipient, sender, provider, status, smtpCode, enhancedCode, message, in.errorCode(), in.occurredAt());
    }

    private static Integer firstCode(String message) {
        // LEADING_REPLY starts with ^: lookingAt finds what find() found, without failing at every later position too.
        Matcher leading = LEADING_REPLY.matcher(message);
        if (leading.lookingAt()) {
            return Integer.valueOf(leading.group(1));
        }
        Matcher quoted = QUOTED_REPLY.matcher(message);
        return quoted.find() ? Integer.valueOf(quoted.group(1)) : null;
    }

    /** One address as the facts carry it, e.g. a path parameter to look up; names {@code field} when it is not an address. */
    public String address(String raw, String field) {
        List<InvalidFactException.FieldError> errors = new ArrayList<>();
        String value = address(raw, field, errors);
        if (value == null && errors.isEmpty()) {
            errors.add(new InvalidFactException.FieldError(field, "give an email address, local@domain"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFactException(errors);
        }
        return value;
    }

    /**
     * The canonical addr-spec of "Jane <jane@Example.COM>" (see {@link Addresses}): "jane@example.com". An address that
     * does not parse names {@code field}; one found in a mail is kept as the mail has it instead ({@link #forParsedMail}).
     */
    private String address(String raw, String field, List<InvalidFactException.FieldError> errors) {
        if (blankToNull(raw) == null) {
            return null;
        }
        if (!strictAddresses) {
            return Addresses.canonicalOrAsFound(raw);
        }
        try {
            return Addresses.canonical(raw);
        } catch (Addresses.InvalidAddressException e) {
            errors.add(new InvalidFactException.FieldError(field, "'" + raw.strip() + "' is not an email address: " + e.getMessage()
                    + "; send one address as local@domain, e.g. jane@example.com or Jane <jane@example.com>"));
            return null;
        }
    }

    private static String lower(String value) {
        String v = blankToNull(value);
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        return v.isEmpty() ? null : v;
    }
}
