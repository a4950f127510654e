package dev.bouncedoctor.model;

import java.util.concurrent.atomic.AtomicLong;
import org.kie.api.definition.type.ClassReactive;
import org.kie.api.runtime.rule.RuleContext;

/**
 * A candidate reason, inserted by a classify rule. The resolve rules keep the most specific one as
 * the primary reason and the best of every other reason as secondary.
 *
 * @param sequence creation order, the last tie-breaker so that {@link #outranks} is a strict order
 */
@ClassReactive // immutable: nothing is ever modified, so the resolve rules' cross-pattern comparisons cost nothing
public record Finding(String reason, Specificity specificity, String rule, String evidence, long sequence) {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** The usual way for a rule to report a finding: {@code insert(Finding.of(drools, "userunknown", Specificity.ENHANCED_CODE, "5.1.1"));} */
    public static Finding of(RuleContext drools, String reason, Specificity specificity, String evidence) {
        return new Finding(reason, specificity, drools.getRule().getName(), evidence, SEQUENCE.incrementAndGet());
    }

    /** More specific first; then the rule name, then creation order, so exactly one finding is best. */
    public boolean outranks(Finding other) {
        int bySpecificity = specificity.compareTo(other.specificity);
        if (bySpecificity != 0) {
            return bySpecificity > 0;
        }
        int byRule = rule.compareTo(other.rule);
        return byRule != 0 ? byRule < 0 : sequence < other.sequence;
    }
}
