package dev.bouncedoctor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.parser.DrlParser;
import org.junit.jupiter.api.Test;

class PhraseRewriterTest {

    private final PhraseRewriter rewriter = new PhraseRewriter();

    @Test
    void rewritesLiteralOperandsOfBooleanExpressions() {
        assertEquals("phrases.has(0, \"user unknown\")", rewriter.rewrite("text contains \"user unknown\""));
        assertEquals("phrases.has(0, \"user unknown\") ||\n   phrases.has(1, \"no such user\")",
                rewriter.rewrite("text contains \"user unknown\" ||\n   text contains \"no such user\""));
        assertEquals("(phrases.has(2, \"a\") && !(phrases.has(3, \"b\")))", rewriter.rewrite("(text contains \"a\" && !(text contains \"b\"))"));
        assertEquals("!phrases.has(1, \"no such user\")", rewriter.rewrite("text not contains \"no such user\""));
        assertEquals(List.of("user unknown", "no such user", "a", "b"), rewriter.phrases(), "numbered once each, in order of appearance");
    }

    @Test
    void aCommentBetweenAlternativesDoesNotHideThePhrasesAfterIt() throws Exception {
        String drl = """
                package t;
                import dev.bouncedoctor.model.DeliveryFact;
                rule "r"
                when
                    DeliveryFact(text contains "a" ||
                                 // why the next one is here
                                 text contains "b" /* and this */ ||
                                 text contains "c")
                then
                end
                """;
        PackageDescr pkg = new DrlParser().parse(new StringReader(drl));
        rewriter.rewrite(pkg);
        assertEquals(List.of("a", "b", "c"), rewriter.phrases());
        assertEquals(Map.of("r", List.of("a", "b", "c")), rewriter.phrasesByRule(), "each phrase gives its finding's evidence");
    }

    @Test
    void aLongCommentBetweenAlternativesIsReadWithoutRunningOutOfStack() {
        String comment = "// " + "x".repeat(20_000) + "\n" + "/* " + "y ".repeat(20_000) + "*/\n" + " ".repeat(20_000);
        assertEquals("phrases.has(0, \"a\") ||" + comment + "phrases.has(1, \"b\")",
                rewriter.rewrite("text contains \"a\" ||" + comment + "text contains \"b\""));
    }

    @Test
    void unescapesTheQuotesOfAPhraseButKeepsTheLiteralAsWritten() {
        assertEquals("phrases.has(0, \"too many \\\"received\\\" headers\")", rewriter.rewrite("text contains \"too many \\\"received\\\" headers\""));
        assertEquals(List.of("too many \"received\" headers"), rewriter.phrases());
    }

    @Test
    void leavesEverythingElseAsWritten() {
        for (String expression : List.of(
                "text contains $phrase",
                "text contains \"a\" + \"b\"",
                "text contains \"tab\\there\"",
                "message contains \"user unknown\"",
                "text matches \".*user unknown.*\"",
                "context == \"x\" || mytext contains \"a\"",
                "text contains \"\"",
                "text.contains(\"a\")")) {
            assertEquals(expression, rewriter.rewrite(expression));
        }
        assertEquals(List.of(), rewriter.phrases());
    }

    @Test
    void touchesOnlyDeliveryFactPatternsAndNotConsequences() throws Exception {
        String drl = """
                package t;
                import dev.bouncedoctor.model.DeliveryFact;
                rule "r"
                when
                    DeliveryFact(text contains "a", smtpCode == 550)
                    not DeliveryFact(text contains "b")
                    Other(text contains "c")
                then
                    System.out.println("text contains \\"d\\"");
                end
                """;
        PackageDescr pkg = new DrlParser().parse(new StringReader(drl));
        rewriter.rewrite(pkg);
        assertEquals(List.of("a", "b"), rewriter.phrases());
        assertEquals(List.of("phrases.has(0, \"a\")", "smtpCode == 550", "phrases.has(1, \"b\")", "text contains \"c\""),
                constraints(pkg.getRules().get(0).getLhs()));
        assertEquals(true, pkg.getRules().get(0).getConsequence().toString().contains("text contains"));
    }

    @Test
    void aRuleSetTheRewriteWouldBreakIsServedAsWritten() {
        // A type of the author's own that happens to be called DeliveryFact has no phrases: the rewritten form does not
        // build, the form as written does, and the rules must still be served, unindexed.
        String drl = """
                package t;
                declare DeliveryFact
                    text : String
                end
                rule "own type"
                    ruleflow-group "classify"
                when
                    DeliveryFact(text contains "a")
                then
                end
                """;
        RuleCompiler.Result compiled = new RuleCompiler().compile(new TreeMap<>(Map.of("classify/own.drl", drl)));
        assertEquals(List.of(), compiled.problems());
        assertEquals(List.of(), compiled.phrases().phrases());
    }

    private static List<String> constraints(BaseDescr descr) {
        List<String> out = new ArrayList<>();
        if (descr instanceof PatternDescr pattern) {
            pattern.getDescrs().forEach(c -> out.add(((ExprConstraintDescr) c).getExpression()));
        } else if (descr instanceof ConditionalElementDescr element) {
            element.getDescrs().forEach(child -> out.addAll(constraints(child)));
        }
        return out;
    }
}
