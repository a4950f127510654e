package dev.bouncedoctor.engine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.engine.RuleSources;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attempts to make a rule run something other than knowledge, each refused by the static check with the line and
 * column where it is written. The position is that of {@code needle} in the rule text, so a test states what it
 * expects to be pointed at rather than a number.
 */
class RulePolicyTest {

    private static final String HEAD = """
            package bouncedoctor.test;

            import dev.bouncedoctor.model.DeliveryFact;
            import dev.bouncedoctor.model.Finding;
            import dev.bouncedoctor.model.Specificity;

            """;

    /** A rule whose consequence is {@code then}. */
    private static String consequence(String then) {
        return HEAD + """
                rule "escape"
                    ruleflow-group "classify"
                when
                    $f : DeliveryFact()
                then
                    %s
                end
                """.formatted(then);
    }

    /** A rule whose only pattern is {@code when}. */
    private static String condition(String when) {
        return HEAD + """
                rule "escape"
                    ruleflow-group "classify"
                when
                    %s
                then
                    insert(Finding.of(drools, "undefined", Specificity.STATUS, "x"));
                end
                """.formatted(when);
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                // The two rules of the security report: a file written, an environment variable thrown back.
                escape("file write through a fully qualified call",
                        consequence("java.nio.file.Files.writeString(java.nio.file.Path.of(\"/tmp/pwned\"), \"x\");"),
                        "java.nio.file.Files", "not a type rules may use"),
                escape("environment read, thrown back in an exception",
                        consequence("throw new RuntimeException(System.getenv(\"DB_PASSWORD\"));"), "throw", "throw"),
                escape("process started and its output thrown back",
                        consequence("String out = new String(new ProcessBuilder(\"id\").start().getInputStream().readAllBytes());"),
                        "ProcessBuilder", "not a type rules may use"),
                escape("import of a file class", "package bouncedoctor.test;\nimport java.io.File;\n" + condition("DeliveryFact()").substring(HEAD.length()),
                        "import java.io.File", "java.io.File"),
                escape("import of a static function", HEAD.replace("import dev.bouncedoctor.model.Specificity;",
                        "import dev.bouncedoctor.model.Specificity;\nimport function java.lang.System.exit;") + "rule \"r\" ruleflow-group \"classify\" when DeliveryFact() then end\n",
                        "import function", "import function"),
                escape("wildcard import", HEAD.replace("import dev.bouncedoctor.model.Specificity;", "import java.lang.reflect.*;")
                        + "rule \"r\" ruleflow-group \"classify\" when DeliveryFact() then end\n", "import java.lang.reflect.*", "by name"),
                escape("reflection through getClass", consequence("Object loader = $f.getClass().getClassLoader();"), "getClass", "getClass"),
                escape("reflection through a string-built class name", consequence("Object c = Class.forName(\"java.lang.\" + \"Runtime\");"),
                        "Class.forName", "'Class'"),
                escape("a class literal", consequence("Object c = String.class;"), "String.class", "class literals"),
                escape("a function that reads a file", HEAD + """
                        function String secret() {
                            return java.nio.file.Files.readString(java.nio.file.Path.of("/etc/passwd"));
                        }
                        rule "r" ruleflow-group "classify" when DeliveryFact() then end
                        """, "java.nio.file.Files", "not a type rules may use"),
                escape("eval in a condition", condition("eval(java.lang.Runtime.getRuntime().availableProcessors() > 0)"),
                        "java.lang.Runtime", "not a type rules may use"),
                escape("method call inside a constraint", condition("DeliveryFact(message == java.lang.System.getProperty(\"user.home\"))"),
                        "java.lang.System", "not a type rules may use"),
                escape("from over a method call", condition("$s : String() from java.lang.System.getenv(\"DB_PASSWORD\")"),
                        "java.lang.System", "not a type rules may use"),
                escape("MVEL property navigation to the class loader", condition("DeliveryFact($x : this, $x.class.classLoader != null)"),
                        "$x.class", "class literals"),
                escape("a lambda", consequence("java.util.List.of(\"a\").forEach(s -> System.exit(0));"), "s -> System", "lambdas"),
                escape("a method reference", consequence("java.util.List.of(\"a\").forEach(System.out::println);"), "System.out::println",
                        "method references"),
                escape("an anonymous class", consequence("Object o = new Object() { public String toString() { return \"\"; } };"),
                        "new Object()", "anonymous"),
                escape("the MVEL dialect", HEAD + """
                        rule "r"
                            ruleflow-group "classify"
                            dialect "mvel"
                        when
                            DeliveryFact()
                        then
                        end
                        """, "\"mvel\"", "java dialect"),
                escape("the engine through drools", consequence("drools.getKieRuntime().halt();"), "drools.getKieRuntime", "drools"),
                escape("the engine through kcontext", consequence("kcontext.getKieRuntime().getEnvironment();"), "kcontext", "kcontext"),
                escape("drools handed to something that is not a builder", consequence("Object d = java.util.List.of(drools).get(0);"),
                        "drools).get", "drools"),
                escape("metadata evaluated while the rule is built", HEAD + """
                        rule "r"
                            @source(java.lang.System.setProperty("pwned", "yes"))
                            ruleflow-group "classify"
                        when
                            DeliveryFact()
                        then
                        end
                        """, "@source", "@source"),
                escape("a dynamic salience", HEAD + """
                        rule "r"
                            ruleflow-group "classify"
                            salience (java.lang.Runtime.getRuntime().availableProcessors())
                        when
                            DeliveryFact()
                        then
                        end
                        """, "(java.lang.Runtime", "salience"),
                escape("a unicode escape that ends a comment", consequence("// \\u000a java.lang.System.exit(0);"), "\\u000a", "unicode escapes"),
                escape("a thread", consequence("new Thread().start();"), "Thread", "not a type rules may use"),
                escape("System.exit", consequence("System.exit(0);"), "System", "'System'"),
                escape("an endless loop", consequence("while (true) { }"), "while", "loops"),
                escape("a recursive function", HEAD + """
                        function int forever(int n) { return forever(n + 1); }
                        rule "r" ruleflow-group "classify" when DeliveryFact() then end
                        """, "function int forever", "recurse"),
                escape("accumulate with its own code", condition(
                        "$n : Number() from accumulate(DeliveryFact(); init(int n = 0;), action(n++;), result(java.lang.Integer.valueOf(n)))"),
                        "accumulate(", "init/action/result"),
                escape("a global", HEAD + "global java.io.File root;\nrule \"r\" ruleflow-group \"classify\" when DeliveryFact() then end\n",
                        "global", "globals"),
                escape("a declared fact type holding a file", HEAD + """
                        declare Evil
                            path : java.io.File
                        end
                        rule "r" ruleflow-group "classify" when DeliveryFact() then end
                        """, "java.io.File", "java.io.File"),
                escape("an entry point from a consequence", consequence("entryPoints[\"stream\"].insert($f);"), "entryPoints", "entry points"),
                escape("a system property read through a number type", consequence("Integer port = Integer.getInteger(\"db.port\");"),
                        "getInteger", "getInteger"),
                escape("a heap-sized array", consequence("long[] heap = new long[400_000_000];"), "new long", "arrays"),
                escape("a heap-sized string", consequence("String heap = \"x\".repeat(1_000_000_000);"), "repeat", "repeat"),
                escape("a string literal that only looks like one", condition("DeliveryFact(message == \"a\\\\\" + java.lang.System.getenv(\"X\") + \"b\")"),
                        "java.lang.System", "not a type rules may use"),
                escape("a type used as a value (MVEL makes it a Class)", condition("DeliveryFact(this != String)"), "String)", "is a type"),
                escape("a setter that is not one inside modify", consequence("modify($f) { getClass() }"), "getClass", "getClass"));
    }

    private static Arguments escape(String name, String drl, String needle, String messagePart) {
        return Arguments.of(name, drl, needle, messagePart);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void refusesAnEscapeWhereItIsWritten(String name, String drl, String needle, String messagePart) {
        List<RuleProblem> problems = new RulePolicy().check(files("classify/escape.drl", drl));
        assertFalse(problems.isEmpty(), name + ": nothing was refused");
        int offset = drl.indexOf(needle);
        assertTrue(offset >= 0, "the needle is in the rule");
        int line = (int) drl.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
        int column = offset - drl.lastIndexOf('\n', offset - 1);
        assertTrue(problems.stream().anyMatch(p -> p.file().equals("classify/escape.drl") && p.line() == line && p.column() == column
                        && p.message().contains(messagePart)),
                name + ": expected a problem at " + line + ":" + column + " mentioning '" + messagePart + "', got " + problems);
    }

    @Test
    void acceptsTheShippedRulesUnchanged() {
        assertEquals(List.of(), new RulePolicy().check(RuleSources.read(Path.of("rules")).drl()));
    }

    @Test
    void acceptsWhatRulesAreMeantToUse() {
        String drl = HEAD + """
                import java.time.Duration;

                function java.util.List withStep(java.util.List steps, String step) {
                    java.util.List out = new java.util.ArrayList(steps);
                    out.add(step);
                    return out;
                }

                rule "allowed"
                    @description("text, numbers, java.time, collections, regular expressions and the model's builders")
                    ruleflow-group "classify"
                    salience -10
                when
                    $f : DeliveryFact(smtpCode != null, smtpCode >= 500, text contains "mailbox" || text matches ".*user.*", $t : text)
                    not Finding(specificity == Specificity.TEXT)
                    eval(Duration.ofMinutes(5).toMinutes() == 5)
                then
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("in (\\\\d+) minute").matcher($t);
                    String wait = m.find() ? "PT" + m.group(1) + "M" : null;
                    for (Object step : withStep(java.util.List.of(), "x")) {
                        wait = wait + step;
                    }
                    insert(Finding.of(drools, "userunknown", Specificity.TEXT, $t.substring(0, Math.min(10, $t.length())) + wait));
                end
                """;
        assertEquals(List.of(), new RulePolicy().check(files("classify/allowed.drl", drl)));
    }

    @Test
    void refusesAPhraseThatCouldNeverMatchTheNormalisedText() {
        String drl = condition("DeliveryFact(text contains \"User Unknown\" || text contains \"no such user\")");
        List<RuleProblem> problems = new RulePolicy().check(files("classify/phrase.drl", drl));
        assertEquals(1, problems.size(), problems.toString());
        RuleProblem p = problems.get(0);
        int offset = drl.indexOf("User Unknown");
        assertEquals((int) drl.substring(0, offset).chars().filter(c -> c == '\n').count() + 1, p.line());
        assertTrue(p.message().contains("\"user unknown\""), p.message());
        assertEquals(List.of(), new RulePolicy().check(files("classify/phrase.drl",
                condition("DeliveryFact(text contains \"no valid \\\"to\\\" address found\")"))));
    }

    @Test
    void tellsAStringLiteralFromTextThatOnlyStartsAndEndsWithAQuote() {
        assertTrue(CodeCheck.isStringLiteral("\"mailbox unavailable\""));
        assertTrue(CodeCheck.isStringLiteral("\"a \\\"quoted\\\" word\""));
        assertTrue(CodeCheck.isStringLiteral("\".*\\\\d+.*\""));
        assertFalse(CodeCheck.isStringLiteral("\"a\\\\\" + x + \"b\""), "the second quote ends the literal");
        assertFalse(CodeCheck.isStringLiteral("\"a\\\""), "the closing quote is escaped");
        assertFalse(CodeCheck.isStringLiteral("\"a\" + \"b\""));
        assertTrue(CodeCheck.isIdentifier("codeDetail"));
        assertFalse(CodeCheck.isIdentifier("this"));
        assertFalse(CodeCheck.isIdentifier("a.b"));
    }

    @Test
    void nameCannotBeBorrowedFromAHarmlessType() {
        AllowedApi api = AllowedApi.get();
        assertFalse(api.instanceMethod("getClass"), "Object.getClass returns a Class");
        assertFalse(api.property("class"), "MVEL's x.class is getClass()");
        assertFalse(api.instanceMethod("wait"), "wait blocks the thread");
        assertFalse(api.instanceMethod("lines"), "String.lines returns a Stream, not an allowed type");
        assertTrue(api.instanceMethod("plus"), "Instant.plus: bridge methods returning ChronoLocalDate do not count");
        assertTrue(api.instanceMethod("outranks"));
    }

    private static SortedMap<String, String> files(String path, String text) {
        SortedMap<String, String> files = new TreeMap<>();
        files.put(path, text);
        return files;
    }
}
