package dev.bouncedoctor.check;

/**
 * What DNS says about a domain's mail host.
 *
 * @param found  true: an MX record (or, lacking one, an A/AAAA record) names a host; false: the domain does not exist,
 *               has no such record, or publishes a null MX; null: the lookup failed (timeout, server error) and says nothing
 * @param detail the records found, or why there are none, in words
 */
public record MailHost(Boolean found, String detail) {
}
