package dev.bouncedoctor.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.kie.api.definition.type.ClassReactive;
import org.kie.api.runtime.rule.RuleContext;

/**
 * A candidate reason, inserted by a classify rule. The resolve rules keep the most specific one as
 * the primary reason and the best of every other reason as secondary.
 *
 * @param evidence what decided it: the part of the message as written where the rule's phrase stands, else what the
 *                 rule names (a code, a status)
 * @param at       where in the fact's text that phrase starts, or -1 when the finding does not come from a phrase of the
 *                 text (a code, a status, a pattern): the resolve rules use it to tell the report from text after it
 * @param rank     the rule's place in the rule set's tie-break order (RuleCompiler: the order of names, changed where a rule
 *                 says it {@code @outranks} another); lower wins between findings of equal specificity
 * @param sequence creation order, the last tie-breaker so that {@link #outranks} is a strict order
 */
@ClassReactive // immutable: nothing is ever modified, so the resolve rules' cross-pattern comparisons cost nothing
public record Finding(String reason, Specificity specificity, String rule, String evidence, int at, int rank, long sequence) {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** A finding that comes from no phrase of the text. */
    public Finding(String reason, Specificity specificity, String rule, String evidence, long sequence) {
        this(reason, specificity, rule, evidence, -1, Integer.MAX_VALUE, sequence);
    }

    /**
     * The usual way for a rule to report a finding: {@code insert(Finding.of(drools, "userunknown", Specificity.ENHANCED_CODE, "5.1.1"));}.
     * When the rule matched phrases of the fact's text, the evidence is the first of them in the message as written and
     * {@link #at} its place; otherwise the evidence is the one given.
     */
    public static Finding of(RuleContext drools, String reason, Specificity specificity, String evidence) {
        String rule = drools.getRule().getName();
        int rank = drools.getRule().getMetaData().get("rank") instanceof Integer r ? r : Integer.MAX_VALUE;
        Phrases.Span span = spanOf(drools, rule);
        return span == null ? new Finding(reason, specificity, rule, evidence, -1, rank, SEQUENCE.incrementAndGet())
                : new Finding(reason, specificity, rule, span.evidence(), span.start(), rank, SEQUENCE.incrementAndGet());
    }

    private static final Map<String, Set<String>> BEATS = new ConcurrentHashMap<>();

    /** The rule names of an {@code @outranks} value, "rule a | rule b" (parsed once per value). */
    public static Set<String> beatsOf(Object value) {
        if (value == null) {
            return Set.of();
        }
        return BEATS.computeIfAbsent(value.toString(), v -> Arrays.stream(v.replace("\"", "").split("\\|"))
                .map(String::strip).filter(n -> !n.isEmpty()).collect(Collectors.toUnmodifiableSet()));
    }

    /** Where the rule's phrases stand in the text of the fact it matched; null when it matched none (or no fact). */
    static Phrases.Span spanOf(RuleContext drools, String rule) {
        if (drools.getMatch() == null) {
            return null;
        }
        for (Object o : drools.getMatch().getObjects()) {
            if (o instanceof DeliveryFact fact) {
                return fact.phrases().span(rule);
            }
        }
        return null;
    }

    /** More specific first; then the rule set's tie-break order (rank), then creation order, so exactly one finding is best. */
    public boolean outranks(Finding other) {
        int bySpecificity = specificity.compareTo(other.specificity);
        if (bySpecificity != 0) {
            return bySpecificity > 0;
        }
        // The rule set's tie-break order (see rank): by name, unless a rule declared it outranks the other.
        if (rank != other.rank) {
            return rank < other.rank;
        }
        int byRule = rule.compareTo(other.rule);
        return byRule != 0 ? byRule < 0 : sequence < other.sequence;
    }
}
