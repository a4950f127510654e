package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.DeliveryFact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;

/**
 * Rewrites the rules' {@code text contains "phrase"} on a DeliveryFact into {@code phrases.has(n, "phrase")} and
 * numbers the phrases, so that a {@link dev.bouncedoctor.engine.PhraseIndex} can find them all in one pass
 * over a message instead of one scan per phrase. Authors keep writing {@code text contains}; only the parsed
 * form that is compiled changes, and {@code phrases.has} answers exactly what {@code text contains} would
 * (see {@link dev.bouncedoctor.model.Phrases}).
 *
 * <p>Only a plain literal operand of a boolean expression is rewritten: {@code text contains "a"} alone, or
 * joined with {@code ||}, {@code &&}, parentheses or {@code !( … )}. Anything else ({@code text contains $x},
 * {@code "a" + "b"}, escapes other than {@code \"} and {@code \\}) is left as written, which is slower but the same.
 */
final class PhraseRewriter {

    // Blanks and comments: the parser leaves an author's "// why" between two alternatives in the expression, and a
    // phrase after it must still be indexed and give its finding's evidence.
    // Possessive throughout: a greedy (?:…)* recursed once per character and overflowed the stack on a long comment.
    private static final String GAP = "\\s*+(?:(?://[^\\n]*+|/\\*[^*]*+\\*++(?:[^/*][^*]*+\\*++)*+/)\\s*+)*+";
    private static final Pattern TEXT_CONTAINS = Pattern.compile(
            "(?<=^|[(|&])(" + GAP + ")text\\s+(not\\s+)?contains\\s+\"((?:[^\"\\\\]|\\\\[\"\\\\])*+)\"(?=" + GAP + "(?:$|[)|&]))");
    private static final Pattern ESCAPE = Pattern.compile("\\\\([\"\\\\])");
    private static final Set<String> FACT_TYPES = Set.of(DeliveryFact.class.getSimpleName(), DeliveryFact.class.getName());

    /** Each phrase rewritten so far, with its number: its position in {@link #phrases()}, unless numbered from outside. */
    private final Map<String, Integer> numbers = new LinkedHashMap<>();
    private final java.util.function.ToIntFunction<String> numbering;

    /** Numbers the phrases from 0, in the order they are met. */
    PhraseRewriter() {
        this.numbering = null;
    }

    /** Numbers each phrase as the function says (one numbering shared by rules compiled apart, see CompiledUnits). */
    PhraseRewriter(java.util.function.ToIntFunction<String> numbering) {
        this.numbering = numbering;
    }

    /** Each phrase rewritten, with its number. */
    Map<String, Integer> numbered() {
        return Map.copyOf(numbers);
    }

    /** The phrases each rule names, by rule name, in the order written: for the evidence of a finding. */
    private final Map<String, List<String>> byRule = new LinkedHashMap<>();
    private String rule;

    Map<String, List<String>> phrasesByRule() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        byRule.forEach((name, list) -> copy.put(name, List.copyOf(list)));
        return copy;
    }

    /** The phrases rewritten so far, in the order of their numbers, for the {@link dev.bouncedoctor.engine.PhraseIndex}. */
    List<String> phrases() {
        return List.copyOf(numbers.keySet());
    }

    void rewrite(PackageDescr pkg) {
        for (RuleDescr r : pkg.getRules()) {
            rule = r.getName();
            visit(r.getLhs());
        }
        rule = null;
    }

    private void visit(BaseDescr descr) {
        if (descr instanceof PatternDescr pattern) {
            if (FACT_TYPES.contains(pattern.getObjectType())) {
                for (BaseDescr constraint : pattern.getDescrs()) {
                    if (constraint instanceof ExprConstraintDescr expr) {
                        expr.setExpression(rewrite(expr.getExpression()));
                    }
                }
            }
            if (pattern.getSource() instanceof AccumulateDescr accumulate) {
                visit(accumulate.getInput());
            } else if (pattern.getSource() instanceof CollectDescr collect) {
                visit(collect.getInputPattern());
            }
        } else if (descr instanceof ConditionalElementDescr element) {
            for (BaseDescr child : element.getDescrs()) {
                visit(child);
            }
        }
    }

    String rewrite(String expression) {
        Matcher m = TEXT_CONTAINS.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String phrase = ESCAPE.matcher(m.group(3)).replaceAll("$1");
            if (phrase.isEmpty()) {
                continue; // "contains nothing" is always true; not worth a special case
            }
            int number = numbers.computeIfAbsent(phrase, p -> numbering == null ? numbers.size() : numbering.applyAsInt(p));
            if (rule != null && m.group(2) == null) {
                List<String> ofRule = byRule.computeIfAbsent(rule, r -> new java.util.ArrayList<>());
                if (!ofRule.contains(phrase)) {
                    ofRule.add(phrase);
                }
            }
            String call = "phrases.has(" + number + ", \"" + m.group(3) + "\")";
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + (m.group(2) == null ? call : "!" + call)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
