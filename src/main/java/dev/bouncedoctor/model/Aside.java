package dev.bouncedoctor.model;

import org.kie.api.definition.type.ClassReactive;
import org.kie.api.runtime.rule.RuleContext;

/**
 * Text that is not part of the report: from {@link #at} on, the fact's text is a footer, a disclaimer, a virus
 * scanner's notice or the returned original, not what the servers said about the delivery. Inserted by classify rules
 * that recognise such text ({@code insert(Aside.of(drools));}); the resolve rules let a finding from the report
 * outrank any finding from the text after an aside.
 *
 * @param rule the rule that recognised it
 * @param at   where the aside starts in the fact's text (the first of the rule's phrases there)
 * @param text the aside's first words as written
 */
@ClassReactive
public record Aside(String rule, int at, String text) {

    /** The aside that the firing rule's phrase starts; none (at = length of nothing: never before a finding) when it matched no phrase. */
    public static Aside of(RuleContext drools) {
        String rule = drools.getRule().getName();
        Phrases.Span span = Finding.spanOf(drools, rule);
        return span == null ? new Aside(rule, Integer.MAX_VALUE, "") : new Aside(rule, span.start(), span.evidence());
    }
}
