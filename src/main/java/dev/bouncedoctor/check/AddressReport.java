package dev.bouncedoctor.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The check of one address before sending: what it is, what the mail log and DNS know of it, and the verdict.
 *
 * @param address        as given
 * @param valid          whether it is one well-formed address
 * @param malformed      why not, when not
 * @param normalized     its canonical form: the domain in lower-case ASCII (IDN as punycode), as the mail log keys it
 * @param suggestion     the address probably meant, when the domain looks mistyped
 * @param suppression    its entry on the bounce list, when it has one
 * @param recentFailures failed deliveries to it in the last 30 days, newest first (at most 5)
 * @param mailHost       what DNS says of its domain's mail host; absent when lookups are off
 * @param verdict        send, send-with-care or do-not-send
 * @param because        why, in a support agent's words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddressReport(String address, boolean valid, String malformed, String normalized, String suggestion, Suppression suppression,
                            List<Failure> recentFailures, MailHost mailHost, String verdict, String because) {

    /** On the bounce list since {@code since} for {@code reason}. */
    public record Suppression(String reason, Instant since) {
    }

    /** One failed delivery: when, its status in the log and its diagnosed reason. */
    public record Failure(Instant at, String status, String reason) {
    }
}
