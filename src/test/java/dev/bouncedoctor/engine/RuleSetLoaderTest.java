package dev.bouncedoctor.engine;

import dev.bouncedoctor.model.RuleProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loader refuses a rule set for each kind of problem and says where it is. */
class RuleSetLoaderTest {

    /** The shipped rules, for the tests of the knowledge itself. */
    private static final RuleSources SHIPPED = RuleSources.read(Path.of("rules"));
    /** For the tests of how a load refuses or accepts an edit: every load compiles all it is given. */
    private static final RuleSources STARTER = ReducedRules.read();
    private final RuleSetLoader loader = new RuleSetLoader();
    /** The reduced copy keeps the scenarios of part of the rules only, so it is loaded without the coverage check. */
    private final RuleSetLoader reducedLoader = new RuleSetLoader(false);

    @Test
    void acceptsTheShippedRules() {
        RuleSetLoader.Result result = loader.load(SHIPPED);
        assertEquals(java.util.List.of(), result.problems());
        assertTrue(result.accepted());
        assertTrue(result.scenarios() > 0);
        assertEquals(java.util.List.of(), result.rules().stream().filter(r -> !r.metadata().containsKey("description")).toList(), "every rule has a @description");
    }

    /** A word outside vocabulary.yaml never reaches a client: the set is refused at the line that writes it, naming the words. */
    @Test
    void refusesARuleThatWritesAWordOutsideTheVocabulary() {
        String typo = """
                package bouncedoctor.advise;
                import dev.bouncedoctor.model.Advice;
                import dev.bouncedoctor.model.Conclusion;

                rule "refine with a typo"
                    @description("a category that is not a word of the vocabulary")
                    ruleflow-group "advise"
                    salience -100
                when
                    $a : Advice(primary, reason == "userunknown")
                then
                    modify($a) { setCategory("reputation") }
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("advise/typo.drl", typo)));
        assertFalse(result.accepted());
        assertEquals(List.of(new RuleProblem("advise/typo.drl", 12, 31, "category 'reputation' is not in the vocabulary (vocabulary.yaml); the words are "
                + "[autoresponder, blocked, delayed, delivered, engagement, invalid-email, mailbox-error, not-delivered, not-sent, sender-setup, spam, suppressed]")),
                result.problems());
    }

    /** The vocabulary is knowledge: a rule author extends it in rules/, and a rule may then use the new word. */
    @Test
    void aWordAddedToTheVocabularyCanBeUsed() {
        String vocabulary = STARTER.vocabulary().replace("  - duplicate\n", "  - duplicate\n  - quotaexceeded\n");
        String rules = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;
                import dev.bouncedoctor.model.Finding;
                import dev.bouncedoctor.model.Specificity;
                import dev.bouncedoctor.model.Advice;
                import dev.bouncedoctor.model.Conclusion;

                rule "text quotaexceeded: sending quota"
                    @description("a made-up reason")
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "frobnication quota spent")
                then
                    insert(Finding.of(drools, "quotaexceeded", Specificity.APPLICATION, "frobnication quota spent"));
                end

                rule "advise quotaexceeded"
                    @description("wait for tomorrow")
                    ruleflow-group "advise"
                when
                    $c : Conclusion(reason == "quotaexceeded")
                then
                    insert(Advice.of(drools, $c).category("not-sent").suppress(false).retry("later").title("The sending quota is used up")
                        .explanation("The account has sent as much as it may today.").steps("Send again tomorrow.").whereToCheck("The account's quota"));
                end
                """;
        String scenario = "- name: quota\n  fact: { message: \"frobnication quota spent\" }\n  expect: { reason: quotaexceeded, category: not-sent }\n";
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("vocabulary.yaml", vocabulary, "classify/quota.drl", rules,
                "scenarios/quota.yaml", scenario)));
        assertEquals(java.util.List.of(), result.problems());
        assertTrue(result.ruleSet().vocabulary().reasons().contains("quotaexceeded"));
    }

    @Test
    void refusesAVocabularyWithoutOneOfItsLists() {
        String vocabulary = STARTER.vocabulary().replaceAll("(?s)retries:.*?\n\n", "");
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("vocabulary.yaml", vocabulary)));
        assertFalse(result.accepted());
        assertTrue(result.problems().stream().anyMatch(p -> p.file().equals("vocabulary.yaml") && p.message().contains("'retries'")),
                result.problems().toString());
    }

    @Test
    void reportsASyntaxErrorWithFileLineAndColumn() {
        String broken = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;

                rule "broken"
                    ruleflow-group "classify"
                when
                    DeliveryFact(smtpCode == )
                then
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/broken.drl", broken)));
        assertFalse(result.accepted());
        RuleProblem problem = result.problems().get(0);
        assertEquals("classify/broken.drl", problem.file());
        assertEquals(7, problem.line(), problem.toString());
        assertTrue(problem.column() > 0, problem.toString());
    }

    /** A quote left open is reported where it opens, not where the parser stumbles over the next quote lines later. */
    @Test
    void reportsAnUnclosedQuoteAtItsOwnLine() {
        String broken = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;
                import dev.bouncedoctor.model.Finding;

                rule "unclosed"
                    @description("a phrase without its closing quote")
                    ruleflow-group "classify"
                when
                    $f : DeliveryFact(text contains "mailbox unavailable)
                then
                    insert(Finding.of(drools, "userunknown", "text"));
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/unclosed.drl", broken)));
        assertFalse(result.accepted());
        List<RuleProblem> inFile = result.problems().stream().filter(p -> p.file().equals("classify/unclosed.drl")).toList();
        assertEquals(1, inFile.size(), inFile.toString());
        assertEquals(9, inFile.get(0).line(), inFile.toString());
        assertEquals(37, inFile.get(0).column(), inFile.toString());
        assertTrue(inFile.get(0).message().contains("not closed"), inFile.toString());
    }

    /** Java that does not compile in a consequence is reported at its own line, not at the rule's first line. */
    @Test
    void reportsAMistakeInAConsequenceAtItsLine() {
        String broken = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;

                rule "mistaken consequence"
                    @description("a number where the Java wants a text")
                    ruleflow-group "classify"
                when
                    DeliveryFact(smtpCode == 550)
                then
                    String first = "fine";
                    int second = "not a number";
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/mistaken.drl", broken)));
        assertFalse(result.accepted());
        List<RuleProblem> inFile = result.problems().stream().filter(p -> p.file().equals("classify/mistaken.drl")).toList();
        assertEquals(1, inFile.size(), inFile.toString());
        assertEquals(11, inFile.get(0).line(), inFile.toString());
        assertEquals(5, inFile.get(0).column(), inFile.toString());
        assertTrue(inFile.get(0).message().contains("mistaken consequence") && inFile.get(0).message().contains("Type mismatch"), inFile.toString());
    }

    @Test
    void reportsAnUnknownPropertyWithItsFile() {
        String wrong = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;

                rule "typo"
                    ruleflow-group "classify"
                when
                    DeliveryFact(smtpcode == 550)
                then
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/typo.drl", wrong)));
        assertFalse(result.accepted());
        RuleProblem problem = result.problems().get(0);
        assertEquals("classify/typo.drl", problem.file());
        // The policy reads the constraint before Drools does, and points at the name itself.
        assertEquals(7, problem.line(), problem.toString());
        assertEquals(18, problem.column(), problem.toString());
        assertTrue(problem.message().contains("'smtpcode'"), problem.toString());
    }

    @Test
    void reportsAnErrorAgainstTheRuleAsWrittenNotAsIndexed() {
        // The served form compiles "text contains" as phrases.has(n, ...); an author must only ever see what they wrote.
        String wrong = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;

                rule "typo beside a phrase"
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "user unknown" || text.substring() == "x")
                then
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/typo.drl", wrong)));
        assertFalse(result.accepted());
        RuleProblem problem = result.problems().get(0);
        assertEquals("classify/typo.drl", problem.file());
        assertEquals(7, problem.line(), problem.toString());
        assertTrue(problem.message().contains("text contains \"user unknown\""), problem.toString());
        assertFalse(result.problems().toString().contains("phrases.has"), result.problems().toString());
    }

    @Test
    void refusesARuleOutsideThePipelinesPhases() {
        String stray = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;

                rule "no phase"
                    @description("forgot the ruleflow-group")
                when
                    DeliveryFact()
                then
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/stray.drl", stray)));
        assertFalse(result.accepted());
        RuleProblem problem = result.problems().get(0);
        assertEquals("classify/stray.drl", problem.file());
        assertEquals(4, problem.line());
        assertTrue(problem.message().contains("no phase"), problem.message());
    }

    @Test
    void refusesARuleSetWhoseScenarioFails() {
        String scenario = """
                - name: wrong on purpose
                  fact: { smtpCode: 550, enhancedCode: "5.1.1" }
                  expect: { reason: mailboxfull }
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("scenarios/wrong.yaml", scenario)));
        assertFalse(result.accepted());
        assertEquals(1, result.scenariosFailed());
        RuleProblem problem = result.problems().get(0);
        assertEquals("scenarios/wrong.yaml", problem.file());
        assertEquals(1, problem.line());
        assertTrue(problem.message().contains("expected reason 'mailboxfull' but got 'userunknown'"), problem.message());
    }

    @Test
    void refusesAScenarioFileWithAnUnknownKeyAndSaysWhere() {
        String scenario = """
                - name: typo in expect
                  fact: { smtpCode: 550 }
                  expect: { reasn: undefined }
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("scenarios/typo.yaml", scenario)));
        assertFalse(result.accepted());
        RuleProblem problem = result.problems().get(0);
        assertEquals("scenarios/typo.yaml", problem.file());
        assertEquals(3, problem.line());
        assertTrue(problem.message().contains("reasn"), problem.message());
    }

    @Test
    void refusesAWordOutsideTheVocabulary() {
        String advice = """
                package bouncedoctor.advise;
                import dev.bouncedoctor.model.Advice;
                import dev.bouncedoctor.model.Conclusion;

                rule "misspelt category"
                    ruleflow-group "advise"
                    salience 10
                when
                    $c : Conclusion(reason == "userunknown")
                then
                    insert(Advice.of(drools, $c).category("invalid-mail").retry("never"));
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("advise/misspelt.drl", advice)));
        assertFalse(result.accepted());
        assertTrue(result.problems().stream().anyMatch(p -> p.message().contains("invalid-mail")), result.problems().toString());
    }

    @Test
    void aReasonWithoutAdviceStillGetsTheGeneralChecklist() {
        String classify = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;
                import dev.bouncedoctor.model.Finding;
                import dev.bouncedoctor.model.Specificity;

                rule "text virus"
                    @description("a reason the advise rules do not know yet")
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "virus found")
                then
                    insert(Finding.of(drools, "virusdetected", Specificity.TEXT, "virus found"));
                end
                """;
        String scenario = """
                - name: virus without advice
                  fact: { message: "554 virus found in attachment" }
                  expect: { reason: virusdetected, category: not-delivered, retry: after-fix, suppress: false }
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/virus.drl", classify, "scenarios/virus.yaml", scenario)));
        assertEquals(java.util.List.of(), result.problems());
    }

    /** A support lead's everyday edit: a row added to a table (issue 20's mailbox domains) is a new rule, checked by its scenario. */
    @Test
    void aRowAddedToATableIsServedAsARule() {
        String table = SHIPPED.files().get("classify/mailbox-domains.csv") + "posteo.de,Posteo,95,yes\n";
        String scenario = """
                - name: posteo.de with a letter doubled
                  fact: { recipient: "a@posteo.dee", status: bounced }
                  expect: { suggests: "a@posteo.de", fired: "mailbox domain: posteo.de" }
                """;
        RuleSetLoader.Result result = loader.load(SHIPPED.overlay(Map.of("classify/mailbox-domains.csv", table, "scenarios/posteo.yaml", scenario)));
        assertEquals(java.util.List.of(), result.problems());
        assertTrue(result.rules().stream().anyMatch(r -> r.name().equals("mailbox domain: posteo.de") && r.file().equals("classify/mailbox-domains.drt")));
    }

    @Test
    void theVersionFollowsTheText() {
        assertEquals(SHIPPED.version(), RuleSources.read(Path.of("rules")).version());
        assertNotEquals(SHIPPED.version(), SHIPPED.overlay(Map.of("scenarios/extra.yaml", "")).version());
    }

    /**
     * A word outside the vocabulary in a rule no scenario reaches is refused when the set is loaded, once, at the line
     * that writes it, with the nearest words: not found by the first client whose event reaches the rule.
     */
    @Test
    void aWordOutsideTheVocabularyIsRefusedAtTheLineThatWritesItWithTheNearestWords() {
        String rules = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;
                import dev.bouncedoctor.model.Finding;
                import dev.bouncedoctor.model.Specificity;
                import dev.bouncedoctor.model.Advice;
                import dev.bouncedoctor.model.Conclusion;

                rule "text reputation: poor"
                    @description("no scenario reaches it")
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "frobnicated reputation")
                then
                    insert(Finding.of(drools, "bad reputation", Specificity.TEXT, "frobnicated reputation"));
                end

                rule "advise badreputation, again"
                    @description("a second advice")
                    ruleflow-group "advise"
                    salience -100
                when
                    $c : Conclusion(reason == "badreputation")
                    $a : Advice(conclusion == $c)
                then
                    modify($a) { setCategory("reputation") }
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/typo.drl", rules)));
        assertFalse(result.accepted());
        assertEquals(2, result.problems().size(), result.problems().toString());
        RuleProblem reason = result.problems().get(0);
        assertEquals("classify/typo.drl", reason.file());
        assertEquals(14, reason.line());
        assertTrue(reason.message().contains("reason 'bad reputation' is not in the vocabulary") && reason.message().contains("did you mean 'badreputation'"),
                reason.message());
        RuleProblem category = result.problems().get(1);
        assertEquals(25, category.line());
        assertTrue(category.message().startsWith("category 'reputation'"), category.message());
        assertEquals(0, result.scenariosFailed(), "the typo is named once, not again by every scenario it breaks");
    }

    /** A table's word outside the vocabulary is refused at its row and column, not at the generated rule. */
    @Test
    void aTableCellOutsideTheVocabularyIsRefusedAtItsRowAndColumn() {
        String table = STARTER.files().get("classify/event-names.csv").replace("any,open,opened,", "any,open,openned,");
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/event-names.csv", table)));
        assertFalse(result.accepted());
        RuleProblem problem = result.problems().get(0);
        assertEquals("classify/event-names.csv", problem.file(), result.problems().toString());
        assertEquals(3, problem.column());
        assertTrue(table.lines().toList().get(problem.line() - 1).startsWith("any,open,openned,"), problem.toString());
        assertTrue(problem.message().contains("status 'openned'") && problem.message().contains("did you mean 'opened'")
                && problem.message().contains("column 'status'"), problem.message());
    }

    /** A cell that makes DRL the compiler refuses is reported at the table's row and column, not at the DRL it made. */
    @Test
    void aTableCellThatDoesNotCompileIsReportedAtItsRowAndColumn() {
        String table = STARTER.files().get("classify/event-names.csv").replace("any,open,opened,0,", "any,open,opened,high,");
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/event-names.csv", table)));
        assertFalse(result.accepted());
        List<RuleProblem> problems = result.problems();
        assertEquals(1, problems.size(), problems.toString());
        RuleProblem problem = problems.get(0);
        assertEquals("classify/event-names.csv", problem.file());
        assertTrue(table.lines().toList().get(problem.line() - 1).startsWith("any,open,opened,high,"), problem.toString());
        assertEquals(List.of(table.lines().findFirst().orElseThrow().split(",")).indexOf("precedence") + 1, problem.column(), problem.toString());
        assertTrue(problem.message().contains("'high'") && problem.message().contains("column 'precedence'"), problem.message());
    }

    /** A row's example cell is a case of its own: a fact that does not make the row's rule fire refuses the set at that row. */
    @Test
    void aRowWhoseExampleDoesNotFireItsRuleIsRefusedAtThatRow() {
        String shipped = STARTER.files().get("classify/event-names.csv");
        String row = shipped.lines().filter(l -> l.startsWith("postmark,hardbounce,")).findFirst().orElseThrow();
        assertTrue(row.endsWith(",provider=postmark; status=HardBounce"), "the shipped row carries its example: " + row);
        String table = shipped.replace(row, row.replace("provider=postmark; status=HardBounce", "provider=postmark; status=SoftBounce"));
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/event-names.csv", table)));
        assertFalse(result.accepted());
        int line = table.lines().toList().indexOf(row.replace("status=HardBounce", "status=SoftBounce")) + 1;
        assertEquals(1, result.problems().size(), result.problems().toString());
        RuleProblem problem = result.problems().get(0);
        assertEquals("classify/event-names.csv", problem.file());
        assertEquals(line, problem.line());
        assertTrue(problem.message().contains("expected rule 'event name: postmark hardbounce' to fire"), problem.message());

        String unreadable = shipped.replace(row, row.replace("provider=postmark; status=HardBounce", "HardBounce from postmark"));
        RuleSetLoader.Result refused = reducedLoader.load(STARTER.overlay(Map.of("classify/event-names.csv", unreadable)));
        assertEquals(List.of(new RuleProblem("classify/event-names.csv", line, 6, "row " + line + ", column 'example': describe a fact as "
                + "field=value pairs separated by ';', with the fields [status, provider, smtpCode, enhancedCode, message, errorCode, recipient, sender] "
                + "(smtpCode and errorCode numbers), e.g. 'provider=sendgrid; status=open'")), refused.problems());
    }

    /** A tie-break a rule declares must name a rule of the set and must not go round in a circle. */
    @Test
    void anOutranksThatNamesNoRuleOrGoesRoundIsRefused() {
        String rules = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;
                import dev.bouncedoctor.model.Finding;
                import dev.bouncedoctor.model.Specificity;

                rule "text blocked: one"
                    @outranks("text blocked: two | text blocked: three, misspelt")
                    @description("x")
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "frobnicated one")
                then
                    insert(Finding.of(drools, "blocked", Specificity.TEXT, "one"));
                end

                rule "text blocked: two"
                    @outranks("text blocked: one")
                    @description("x")
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "frobnicated two")
                then
                    insert(Finding.of(drools, "blocked", Specificity.TEXT, "two"));
                end
                """;
        RuleSetLoader.Result result = reducedLoader.load(STARTER.overlay(Map.of("classify/ties.drl", rules)));
        assertFalse(result.accepted());
        assertTrue(result.problems().stream().anyMatch(p -> p.file().equals("classify/ties.drl") && p.line() == 6
                && p.message().contains("outranks 'text blocked: three, misspelt', which is no rule of this set")), result.problems().toString());
        assertTrue(result.problems().stream().anyMatch(p -> p.message().contains("go round in a circle")
                && p.message().contains("text blocked: one") && p.message().contains("text blocked: two")), result.problems().toString());
    }

    /** A rule no scenario fires is refused once, where it is written, even though every scenario passes. */
    @Test
    void refusesARuleThatNoScenarioExercises() {
        String rule = """
                package bouncedoctor.classify;
                import dev.bouncedoctor.model.DeliveryFact;
                import dev.bouncedoctor.model.Finding;
                import dev.bouncedoctor.model.Specificity;

                // a rule nobody tried
                rule "text mailbox overfull (untried)"
                    @description("made up for the test")
                    @source("the test")
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "mailbox is overfull right now")
                then
                    insert(Finding.of(drools, "mailboxfull", Specificity.TEXT, "mailbox is overfull right now"));
                end
                """;
        RuleSetLoader.Result refused = loader.load(SHIPPED.overlay(Map.of("classify/untried.drl", rule)));
        assertFalse(refused.accepted());
        assertEquals(0, refused.scenariosFailed(), "every scenario passed: the refusal is for the rule alone");
        assertEquals(List.of(new dev.bouncedoctor.model.RuleProblem("classify/untried.drl", 7, 0,
                "no scenario fires rule 'text mailbox overfull (untried)'; add a scenario (rules/scenarios/*.yaml) whose fact it answers")), refused.problems());

        String scenario = "- name: an overfull mailbox\n  fact: { message: \"550 the mailbox is overfull right now\" }\n  expect: { reason: mailboxfull, rule: \"text mailbox overfull (untried)\" }\n";
        assertTrue(loader.load(SHIPPED.overlay(Map.of("classify/untried.drl", rule, "scenarios/untried.yaml", scenario))).accepted(),
                "with a scenario that fires it, the same rule is served");
    }
}
