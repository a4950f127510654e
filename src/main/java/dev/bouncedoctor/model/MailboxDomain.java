package dev.bouncedoctor.model;

/**
 * A row of the widely-used-mailbox-domain table (rules/classify/mailbox-domains.csv) that the recipient's domain
 * matched: it is that domain ({@code exact}), or one slip of the keyboard from it. Inserted by the table's rules; the
 * typo rules read them.
 *
 * @param domain   the table's domain, e.g. {@code gmail.com}
 * @param provider who runs it, for the advice's words
 * @param exact    the recipient's domain is this very domain
 * @param rank     the row's rank in the table (1 is the most used): the nearest candidate with the lowest rank wins
 */
public record MailboxDomain(String domain, String provider, boolean exact, int rank) {
}
