package dev.bouncedoctor.model;

import java.util.Set;

/**
 * The design's stable vocabulary. Clients depend on these words, so a rule that writes any other
 * word fails loudly (and with it the rule set's own scenarios) instead of reaching a client.
 */
public final class Vocabulary {

    public static final Set<String> REASONS = Set.of(
            "authfailure", "badreputation", "blocked", "contenterror", "delivered", "emailtoolarge",
            "expired", "failedstarttls", "feedback", "filtered", "hasmoved", "hostunknown", "mailboxfull",
            "mailererror", "networkerror", "norelaying", "notaccept", "notcompliantrfc", "onhold",
            "policyviolation", "ratelimited", "rejected", "requireptr", "securityerror", "spamdetected",
            "suppressed", "suspend", "syntaxerror", "systemerror", "systemfull", "undefined",
            "userunknown", "vacation", "virusdetected",
            "greylisted", "credentials", "servicedisabled", "noaddress", "contactblocked", "duplicate");

    public static final Set<String> CATEGORIES = Set.of(
            "invalid-email", "mailbox-error", "autoresponder", "blocked", "spam", "sender-setup",
            "suppressed", "not-sent", "delayed", "not-delivered", "delivered");

    public static final Set<String> RETRIES = Set.of("never", "later", "after-fix", "not-needed");

    /** Mail log statuses, as the design's facts carry them. */
    public static final Set<String> STATUSES = Set.of("pending", "delivered", "dropped", "bounced", "deferred", "complained", "failed");

    private Vocabulary() {
    }

    static String require(Set<String> allowed, String kind, String value) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(kind + " '" + value + "' is not in the design's vocabulary " + allowed.stream().sorted().toList());
        }
        return value;
    }
}
