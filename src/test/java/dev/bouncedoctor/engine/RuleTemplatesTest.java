package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.RuleProblem;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A rule template and its table become one rule per row; what keeps them from it is named with its file and row. */
class RuleTemplatesTest {

    private static final String TEMPLATE = """
            template header
            word
            reason

            package bouncedoctor.classify;

            template "words"

            rule "word: @{word}"
                ruleflow-group "classify"
            when
                DeliveryFact(text contains "@{word}")
            then
            end

            end template
            """;

    @Test
    void eachRowIsARuleAndTheColumnsMayComeInAnyOrder() {
        RuleTemplates.Expanded expanded = RuleTemplates.expand(new TreeMap<>(Map.of(
                "classify/words.drt", TEMPLATE, "classify/words.csv", "reason,word\nuserunknown,no such user\nmailboxfull, over quota \n",
                "classify/other.drl", "package x;")));
        assertEquals(List.of(), expanded.problems());
        String drl = expanded.drl().get("classify/words.drt");
        assertTrue(drl.contains("rule \"word: no such user\"") && drl.contains("text contains \"over quota\""), drl);
        assertEquals("package x;", expanded.drl().get("classify/other.drl"));
        assertTrue(!expanded.drl().containsKey("classify/words.csv"));
    }

    @Test
    void aTemplateWithoutItsTableOrATableWithoutItsTemplateIsAProblem() {
        List<RuleProblem> problems = RuleTemplates.expand(new TreeMap<>(Map.of("classify/words.drt", TEMPLATE, "advise/lonely.csv", "a\n1\n"))).problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.file().equals("classify/words.drt") && p.message().contains("classify/words.csv")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.file().equals("advise/lonely.csv") && p.message().contains("advise/lonely.drt")), problems.toString());
    }

    @Test
    void aMissingColumnAndACellThatWouldBreakTheRuleAreNamedWithTheirRow() {
        List<RuleProblem> missing = RuleTemplates.expand(new TreeMap<>(Map.of("classify/words.drt", TEMPLATE, "classify/words.csv", "word\nx\n"))).problems();
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.get(0).message().contains("no column 'reason'"), missing.toString());

        List<RuleProblem> quoted = RuleTemplates.expand(new TreeMap<>(Map.of("classify/words.drt", TEMPLATE,
                "classify/words.csv", "word,reason\nfine,userunknown\n\"say \"\"hi\"\"\",userunknown\n"))).problems();
        assertEquals(1, quoted.size(), quoted.toString());
        assertEquals("classify/words.csv", quoted.get(0).file());
        assertEquals(3, quoted.get(0).line());
    }

    @Test
    void aTemplateWithoutItsHeaderSaysHowToStart() {
        List<RuleProblem> problems = RuleTemplates.expand(new TreeMap<>(Map.of("classify/words.drt", "package x;\n", "classify/words.csv", "word\nx\n"))).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("template header"), problems.toString());
    }

    /** A template is filled by MVEL before any rule check: only columns are filled in, no expression of the author's runs. */
    @Test
    void aTemplateTagThatIsAnExpressionIsRefusedAtItsLine() {
        String[] hostile = {"@{java.lang.System.getProperties().clear()}", "@if{reason != null}x@end{}", "@code{java.lang.System.exit(1)}",
                "@{word.replace('a', java.lang.System.getenv('HOME'))}", "@{nosuch}"};
        for (String tag : hostile) {
            String template = TEMPLATE.replace("DeliveryFact(text contains \"@{word}\")", "DeliveryFact(text contains \"" + tag + "\")");
            List<RuleProblem> problems = RuleTemplates.expand(new TreeMap<>(Map.of("classify/words.drt", template,
                    "classify/words.csv", "word,reason\nno such user,userunknown\n"))).problems();
            assertTrue(!problems.isEmpty() && problems.stream().allMatch(p -> p.line() == 12), tag + ": " + problems);
            assertEquals(new RuleProblem("classify/words.drt", 12, 33, problems.get(0).message()), problems.get(0), tag);
        }
        String listed = TEMPLATE.replace("text contains \"@{word}\"", "text contains \"@{word.replace(' | ', '\" || text contains \"')}\"");
        RuleTemplates.Expanded expanded = RuleTemplates.expand(new TreeMap<>(Map.of("classify/words.drt", listed,
                "classify/words.csv", "word,reason\nno such user | user unknown,userunknown\n")));
        assertEquals(List.of(), expanded.problems());
        assertTrue(expanded.drl().get("classify/words.drt").contains("text contains \"no such user\" || text contains \"user unknown\""),
                expanded.drl().get("classify/words.drt"));
    }
}
