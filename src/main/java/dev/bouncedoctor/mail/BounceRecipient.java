package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.BounceContext;
import dev.bouncedoctor.model.DeliveryFact;

/** One failed (or reported) recipient of a bounce mail: its 1-based position in the mail, its fact and context. */
public record BounceRecipient(int index, DeliveryFact fact, BounceContext context) {
}
