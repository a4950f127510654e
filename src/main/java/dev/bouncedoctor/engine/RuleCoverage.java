package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleInfo;
import dev.bouncedoctor.model.RuleProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which rules no scenario exercises. A rule nobody has seen fire is a rule nobody has checked: a typo in its reason or
 * a condition that can never hold would be served unnoticed, so such a set is refused, naming each rule where it is
 * written. A rule template's rows share one shape, so a scenario for some row exercises the whole table; the safety
 * net ({@code @safetyNet}), which answers only when nothing else does, is the one rule allowed to stay silent.
 */
public final class RuleCoverage {

    private RuleCoverage() {
    }

    public static List<RuleProblem> unexercised(Collection<RuleInfo> rules, Set<String> fired, Map<String, String> files) {
        Set<String> tablesFired = new LinkedHashSet<>();
        for (RuleInfo rule : rules) {
            if (isTableRow(rule) && fired.contains(rule.name())) {
                tablesFired.add(rule.file());
            }
        }
        List<RuleProblem> problems = new ArrayList<>();
        Set<String> tablesNamed = new LinkedHashSet<>();
        for (RuleInfo rule : rules) {
            if (isTableRow(rule)) {
                if (!tablesFired.contains(rule.file()) && tablesNamed.add(rule.file())) {
                    problems.add(new RuleProblem(rule.file(), 1, 0, "no scenario fires any row of this table; add a scenario for one of its rows"));
                }
            } else if (!fired.contains(rule.name()) && !rule.metadata().containsKey("safetyNet")) {
                problems.add(new RuleProblem(rule.file(), Math.max(1, RuleCompiler.lineOf(files.get(rule.file()), rule.name())), 0,
                        "no scenario fires rule '" + rule.name() + "'; add a scenario (rules/scenarios/*.yaml) whose fact it answers"));
            }
        }
        return problems;
    }

    private static boolean isTableRow(RuleInfo rule) {
        return rule.file() != null && rule.file().endsWith(RuleTemplates.TEMPLATE);
    }
}
