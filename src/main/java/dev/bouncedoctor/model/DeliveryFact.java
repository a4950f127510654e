package dev.bouncedoctor.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * One delivery attempt as the rules see it. The wire names are the design's and clients depend on
 * them. The derived accessors ({@link #text()}, {@link #codeClass()}, …) exist so that rule authors
 * can match on a lower-cased message or a code part without writing regular expressions.
 */
public record DeliveryFact(
        String recipient,
        String sender,
        String provider,
        String status,
        Integer smtpCode,
        String enhancedCode,
        String message,
        Integer errorCode,
        Instant occurredAt,
        /* The message in the form rules match on ({@link MatchText}: lower case, straight quotes, one kind of
         * space and dash), for {@code contains} and {@code matches}. Derived from message, never read from the
         * wire, and computed once: the rules test it hundreds of times per fact. */
        @JsonIgnore String text,
        /* The same text as a set of phrases, for the rules' {@code text contains "…"} once the rule compiler has
         * rewritten them (see PhraseIndex). Its answers are always those of text.contains. */
        @JsonIgnore Phrases phrases) {

    public DeliveryFact {
        // Both derived from the message, whatever is passed: phrases found in some other message would give wrong
        // answers. Phrases of this very message (withPhrases) already hold its lower-cased text.
        if (phrases != null && phrases.of(message)) {
            text = phrases.text();
        } else {
            text = MatchText.of(message);
            phrases = Phrases.unindexed(message, text);
        }
    }

    public DeliveryFact(String recipient, String sender, String provider, String status, Integer smtpCode, String enhancedCode,
                        String message, Integer errorCode, Instant occurredAt) {
        this(recipient, sender, provider, status, smtpCode, enhancedCode, message, errorCode, occurredAt, null, null);
    }

    /** 2, 4 or 5: the class of the enhanced status code, or of the reply code when there is none; 0 if neither. */
    @JsonIgnore
    public int codeClass() {
        if (enhancedCode != null) {
            return enhancedCode.charAt(0) - '0';
        }
        return smtpCode == null ? 0 : smtpCode / 100;
    }

    /** The enhanced code without its class ("1.1" for "5.1.1"), so one rule can cover 4.x.x and 5.x.x. */
    @JsonIgnore
    public String codeDetail() {
        return enhancedCode == null ? "" : enhancedCode.substring(2);
    }

    /** The recipient's domain, lower-cased ("gmial.com" for "Jane@GMIAL.com"); empty when there is no recipient address. */
    @JsonIgnore
    public String recipientDomain() {
        int at = recipient == null ? -1 : recipient.lastIndexOf('@');
        return at < 0 ? "" : LowerCase.of(recipient.substring(at + 1));
    }

    @JsonIgnore
    public boolean hasEvidence() {
        return status != null || smtpCode != null || enhancedCode != null || message != null || errorCode != null;
    }

    /** The same fact with the phrases an index found in its text (see Phrases). */
    public DeliveryFact withPhrases(Phrases phrases) {
        return new DeliveryFact(recipient, sender, provider, status, smtpCode, enhancedCode, message, errorCode, occurredAt, text, phrases);
    }

    public DeliveryFact withCodes(Integer smtpCode, String enhancedCode) {
        return new DeliveryFact(recipient, sender, provider, status, smtpCode, enhancedCode, message, errorCode, occurredAt);
    }
}
