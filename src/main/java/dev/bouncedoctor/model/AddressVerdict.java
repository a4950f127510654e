package dev.bouncedoctor.model;

/**
 * Whether to send to an address: written by the check rules (rules/check/), the first that applies deciding. The
 * words are those of the vocabulary's {@code verdicts}; {@code because} says why in a support agent's words.
 */
@org.kie.api.definition.type.ClassReactive
public final class AddressVerdict {

    private String verdict;
    private String because;
    private String rule;

    public String getVerdict() {
        return verdict;
    }

    public String getBecause() {
        return because;
    }

    public String getRule() {
        return rule;
    }

    /** Decides, once: a verdict already given by a rule that ran earlier stays. The rule then updates the fact. */
    public static void decide(org.kie.api.runtime.rule.RuleContext drools, AddressVerdict v, String verdict, String because) {
        if (v.verdict == null) {
            v.verdict = verdict;
            v.because = because;
            v.rule = drools.getRule().getName();
        }
    }
}
