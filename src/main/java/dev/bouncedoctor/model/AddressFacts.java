package dev.bouncedoctor.model;

/**
 * What is known about an address before anything is sent to it, besides the mail log's history: whether it parses
 * and, when the service looked it up, whether its domain has a mail host. The check rules (rules/check/) weigh these.
 *
 * @param address   the address as checked (canonical when it parses)
 * @param malformed why it is not one address, or null when it is
 * @param mailHost  whether the domain has an MX (or, lacking one, an A/AAAA) record; null when not looked up
 * @param dnsDetail what the lookup found or why it failed, for the reason's words; null when not looked up
 */
public record AddressFacts(String address, String malformed, Boolean mailHost, String dnsDetail) {
}
