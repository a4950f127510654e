package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleInfo;
import dev.bouncedoctor.model.RuleProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which rules no scenario exercises. A rule nobody has seen fire is a rule nobody has checked: a typo in its reason or
 * a condition that can never hold would be served unnoticed, so such a set is refused, naming each rule where it is
 * written; a table's every row too, since each row writes its own words (a row's example column is its own scenario).
 * The safety net ({@code @safetyNet}), which answers only when nothing else does, is the one rule allowed to stay silent.
 */
public final class RuleCoverage {

    private RuleCoverage() {
    }

    /** @param files the DRL by path, a table's as it made it (its problems are then placed at the row, see RuleTemplates) */
    public static List<RuleProblem> unexercised(Collection<RuleInfo> rules, Set<String> fired, Map<String, String> files) {
        List<RuleProblem> problems = new ArrayList<>();
        for (RuleInfo rule : rules) {
            if (fired.contains(rule.name()) || rule.metadata().containsKey("safetyNet")) {
                continue;
            }
            if (rule.file() != null && RuleTemplates.isTableSource(rule.file())) {
                // A table's row: named by its rule, which says which row it is; the cure is the row's own example.
                problems.add(new RuleProblem(rule.file(), Math.max(1, RuleCompiler.lineOf(files.get(rule.file()), rule.name())), 1, "no scenario fires the row that makes rule '" + rule.name()
                        + "'; give the row an example (column '" + RuleTemplates.EXAMPLE + "') or add a scenario for it"));
            } else {
                problems.add(new RuleProblem(rule.file(), Math.max(1, RuleCompiler.lineOf(files.get(rule.file()), rule.name())), 0,
                        "no scenario fires rule '" + rule.name() + "'; add a scenario (rules/scenarios/*.yaml) whose fact it answers"));
            }
        }
        return problems;
    }
}
