package dev.bouncedoctor.mail;

import dev.bouncedoctor.model.BounceContext;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.WhiteSpace;
import java.time.Instant;

/**
 * One recipient's fact from what a format found about it, made the same way for every format: the message folded and
 * cut to its first {@link #MAX_MESSAGE_CHARS}, the codes it speaks filled in ({@link SpokenCodes}), addresses kept
 * only when they are addresses.
 */
final class RecipientFacts {

    /** The longest message a fact gets from a mail: the text about a recipient, not the whole mail. */
    static final int MAX_MESSAGE_CHARS = 4_000;

    private RecipientFacts() {
    }

    /** {@code enhanced} is the code the format's own fields give (a DSN Status), null to take the one the message speaks. */
    static BounceRecipient of(int index, String address, Envelope env, String status, String enhanced, String message, Instant when,
                              BounceContext context) {
        String msg = message == null ? null : foldedHead(message);
        if (msg != null && msg.isEmpty()) {
            msg = null;
        }
        SpokenCodes spoken = SpokenCodes.in(msg, status.equals("bounced") || status.equals("deferred"));
        if (enhanced == null) {
            enhanced = spoken.enhanced();
        }
        Integer reply = spoken.reply();
        DeliveryFact fact = new DeliveryFact(AddressFinder.valid(address), AddressFinder.valid(env.sender()), "smtp", status, reply, enhanced,
                msg, null, when);
        return new BounceRecipient(index, fact, context);
    }

    /** The text folded and trimmed, at most its first {@link #MAX_MESSAGE_CHARS}. */
    private static String foldedHead(String text) {
        if (text.length() > 4 * MAX_MESSAGE_CHARS) {
            // A plain-text bounce's whole text can be long. Folding goes character by character, so the fold of the text's start
            // is the start of its fold: once that holds MAX_MESSAGE_CHARS after its leading blanks, and a non-blank after them
            // (so that trim() keeps them all), the rest of the text cannot change the result.
            String head = WhiteSpace.fold(text.substring(0, 4 * MAX_MESSAGE_CHARS));
            int start = 0;
            while (start < head.length() && head.charAt(start) <= ' ') {
                start++;
            }
            for (int i = start + MAX_MESSAGE_CHARS; i < head.length(); i++) {
                if (head.charAt(i) > ' ') {
                    return head.substring(start, start + MAX_MESSAGE_CHARS);
                }
            }
        }
        String folded = WhiteSpace.fold(text).trim();
        return folded.length() > MAX_MESSAGE_CHARS ? folded.substring(0, MAX_MESSAGE_CHARS) : folded;
    }
}
