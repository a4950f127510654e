package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.Addresses;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.InvalidFactException;
import dev.bouncedoctor.model.LowerCase;
import dev.bouncedoctor.model.SmtpCodes;
import dev.bouncedoctor.model.WhiteSpace;
import java.time.Instant;
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
    /** Longest status and provider: words, as the mail log stores them (V1__mail_log.sql). */
    public static final int MAX_STATUS_LENGTH = 40;
    public static final int MAX_PROVIDER_LENGTH = 100;
    /** An address is at most 320 characters: 64 for the local part, @, 255 for the domain (RFC 5321 4.5.3.1). */
    public static final int MAX_ADDRESS_LENGTH = 320;
    /** The instants a delivery can have happened at: years 1 to 9999, what both databases store and ISO-8601 writes plainly. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

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
        // 600-699: a provider's own codes beyond SMTP's (Mailgun's 605 and 607 for addresses it will not send to), taken
        // with the provider that gives them meaning; the rules say what each means.
        boolean providerCode = smtpCode != null && smtpCode >= 600 && smtpCode <= 699 && in.provider() != null && !in.provider().isBlank();
        if (smtpCode != null && (smtpCode < 200 || smtpCode > 599) && !providerCode) {
            errors.add(new InvalidFactException.FieldError("smtpCode", smtpCode + " is not an SMTP reply code; use a number from 200 to 599, e.g. 550"
                    + (smtpCode >= 600 && smtpCode <= 699 ? ", or give the provider whose own code it is" : "")));
        }
        String recipient = address(in.recipient(), "recipient", errors);
        String sender = address(in.sender(), "sender", errors);
        String status = lower(word(in.status(), "status", MAX_STATUS_LENGTH, errors));
        String provider = lower(word(in.provider(), "provider", MAX_PROVIDER_LENGTH, errors));
        if (message != null && !strictAddresses) {
            // A mail's text is what it is: a NUL in it is a blank to the rules, not a reason to lose the recipient.
            message = message.replace('\0', ' ');
        }
        if (message != null && message.indexOf('\0') >= 0) {
            errors.add(new InvalidFactException.FieldError("message", "holds a NUL character (\\u0000); send text without it"));
        }
        if (in.occurredAt() != null && (in.occurredAt().isBefore(EARLIEST) || in.occurredAt().isAfter(LATEST))) {
            errors.add(new InvalidFactException.FieldError("occurredAt", "is outside the years 1 to 9999; send when the delivery was attempted, e.g. 2026-11-20T10:00:00Z"));
        }
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

    /** A short word field (status, provider): at most {@code max} characters, no control characters; null when blank. */
    private static String word(String raw, String field, int max, List<InvalidFactException.FieldError> errors) {
        String v = blankToNull(raw);
        if (v == null) {
            return null;
        }
        v = v.trim();
        if (v.length() > max) {
            errors.add(new InvalidFactException.FieldError(field, "is " + v.length() + " characters long; send at most " + max));
            return null;
        }
        if (hasControl(v)) {
            errors.add(new InvalidFactException.FieldError(field, "holds a control character (NUL, a line break, …); send a plain word"));
            return null;
        }
        return v;
    }

    /** A control character: NUL, which PostgreSQL cannot store, or another that has no place in a word or an address. */
    public static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
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
        if (raw.length() > MAX_ADDRESS_LENGTH * 2 || hasControl(raw)) {
            // Refused before parsing: longer than any address with a display name, or with a NUL or line break in it.
            if (strictAddresses) {
                errors.add(new InvalidFactException.FieldError(field, raw.length() > MAX_ADDRESS_LENGTH * 2
                        ? "is " + raw.length() + " characters long; an address has at most " + MAX_ADDRESS_LENGTH
                        : "holds a control character (NUL, a line break, …); send one address as local@domain"));
                return null;
            }
        }
        if (!strictAddresses) {
            String found = Addresses.canonicalOrAsFound(raw);
            return found == null || found.length() <= MAX_ADDRESS_LENGTH && !hasControl(found) ? found : null;
        }
        try {
            String canonical = Addresses.canonical(raw);
            if (canonical.length() > MAX_ADDRESS_LENGTH) {
                errors.add(new InvalidFactException.FieldError(field, "is " + canonical.length() + " characters long; an address has at most " + MAX_ADDRESS_LENGTH));
                return null;
            }
            return canonical;
        } catch (Addresses.InvalidAddressException e) {
            errors.add(new InvalidFactException.FieldError(field, "'" + raw.strip() + "' is not an email address: " + e.getMessage()
                    + "; send one address as local@domain, e.g. jane@example.com or Jane <jane@example.com>"));
            return null;
        }
    }

    private static String lower(String value) {
        String v = blankToNull(value);
        return v == null ? null : LowerCase.of(v);
    }

    private static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        return v.isEmpty() ? null : v;
    }
}
