package dev.bouncedoctor.mail;

import java.util.List;

/**
 * What a mail yielded: its recipients in the order the mail lists them; when there are none,
 * {@code detail} says why (e.g. the mail is not a bounce); when the mail named more than the parser diagnoses, how many it named.
 */
public record ParsedMail(List<BounceRecipient> recipients, String detail) {
}
