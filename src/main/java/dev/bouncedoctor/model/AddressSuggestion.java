package dev.bouncedoctor.model;

/**
 * The address the sender probably meant: the same local part at the widely used domain the recipient's own domain is
 * one slip from ({@code jane@gmial.com} → {@code jane@gmail.com}). Inserted by the typo rules; the advice cites it and
 * the report carries it as {@code suggestedAddress}.
 *
 * @param address  the corrected address
 * @param domain   the domain that was probably meant
 * @param provider who runs that domain
 * @param rule     the rule that made the suggestion
 */
public record AddressSuggestion(String address, String domain, String provider, String rule) {

    public static AddressSuggestion of(org.kie.api.runtime.rule.RuleContext drools, String recipient, MailboxDomain meant) {
        int at = recipient.lastIndexOf('@');
        return new AddressSuggestion(recipient.substring(0, at + 1) + meant.domain(), meant.domain(), meant.provider(), drools.getRule().getName());
    }
}
