package dev.bouncedoctor.model;

/**
 * What a reported status means, in the mail log's words (the vocabulary's {@code statuses}): a provider's own event
 * name ("open", "spamreport", "HardBounce", "Permanent") or a seed's word ("Bounce") mapped to one status
 * ("opened", "complained", "bounced"). Inserted by the classify rules (rules/classify/event-names.*); a fact whose
 * status no rule maps is refused, naming the statuses there are. {@code because} names the mapping.
 */
public record EventStatus(String status, String because) {
}
