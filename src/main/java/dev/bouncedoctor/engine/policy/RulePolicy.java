package dev.bouncedoctor.engine.policy;

import dev.bouncedoctor.model.RuleProblem;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.MatchText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.drools.compiler.compiler.BoundIdentifiers;
import org.drools.compiler.rule.builder.dialect.java.parser.JavaBlockDescr;
import org.drools.compiler.rule.builder.dialect.java.parser.JavaContainerBlockDescr;
import org.drools.compiler.rule.builder.dialect.java.parser.JavaModifyBlockDescr;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AnnotatedBaseDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AtomicExprDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.BindingDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConstraintConnectiveDescr;
import org.drools.drl.ast.descr.EntryPointDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.ForallDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.FunctionDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.QueryDescr;
import org.drools.drl.ast.descr.RelationalExprDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.drools.drl.ast.descr.TypeFieldDescr;
import org.drools.drl.parser.DrlExprParser;
import org.drools.drl.parser.DrlExprParserFactory;
import org.drools.drl.parser.DrlParser;
import org.drools.mvel.java.JavaAnalysisResult;
import org.drools.mvel.java.JavaExprAnalyzer;
import org.kie.api.io.Resource;
import org.kie.internal.builder.conf.LanguageLevelOption;
import org.kie.internal.io.ResourceFactory;

/**
 * The static check every rule set passes before it is compiled, wherever it comes from (the rules directory,
 * a validation, a reload): a rule author is trusted with knowledge, not with the pod. The DRL is read with
 * Drools' own parser, constraints with Drools' expression parser, and the Java of consequences and functions
 * with JavaParser (see {@link CodeCheck}); what the rules may touch is {@link AllowedApi}.
 *
 * <p>Compiling is not harmless by itself: Drools evaluates a rule's metadata values ({@code @key(…)}) as MVEL
 * while it builds the rule. So nothing of a rule set is compiled unless all of it passed this check.
 */
public final class RulePolicy {

    /** Rule attributes that only say when and in which phase a rule runs. */
    private static final Set<String> ATTRIBUTES = Set.of("salience", "ruleflow-group", "agenda-group", "activation-group",
            "no-loop", "lock-on-active", "auto-focus", "dialect", "enabled", "date-effective", "date-expires");
    private static final Set<String> BOOLEAN_ATTRIBUTES = Set.of("no-loop", "lock-on-active", "auto-focus", "enabled");
    /** The constraint operators that compare values; the temporal ones need event streams, which rules do not have. */
    /** A literal phrase of {@code text contains}, as written between its quotes (group 1). */
    private static final Pattern TEXT_PHRASE = Pattern.compile("\\btext\\s+(?:not\\s+)?contains\\s+\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static final Set<String> OPERATORS = Set.of("==", "!=", "<", "<=", ">", ">=", "contains", "excludes", "memberOf",
            "matches", "soundslike", "str", "in");

    /** One file's parse, kept for the second pass, which needs every file's functions and declared types. */
    private record Parsed(String file, String text, PackageDescr pkg, LineIndex lines) {
    }

    /** The problems of these DRL files (path → text); empty when the rule set may be compiled. */
    public List<RuleProblem> check(SortedMap<String, String> drlFiles) {
        Map<String, PackageDescr> parsed = new HashMap<>();
        drlFiles.forEach((path, text) -> parsed.put(path, parse(path, text)));
        return check(drlFiles, parsed);
    }

    /**
     * The same, for files the caller has parsed already (path → the parse, null for a file that does not parse):
     * the compiler then builds exactly the descriptors that were checked.
     */
    public List<RuleProblem> check(SortedMap<String, String> drlFiles, Map<String, PackageDescr> parsedFiles) {
        List<Parsed> parsed = new ArrayList<>();
        for (Map.Entry<String, String> file : drlFiles.entrySet()) {
            PackageDescr pkg = parsedFiles.get(file.getKey());
            if (pkg != null) {
                parsed.add(new Parsed(file.getKey(), file.getValue(), pkg, new LineIndex(file.getValue())));
            }
        }
        // Functions and declared types belong to a package, whichever of its files defines them.
        Map<String, Set<String>> functions = new HashMap<>();
        Map<String, Map<String, Set<String>>> declared = new HashMap<>();
        for (Parsed p : parsed) {
            String pkgName = p.pkg().getName();
            p.pkg().getFunctions().forEach(f -> functions.computeIfAbsent(pkgName, k -> new HashSet<>()).add(f.getName()));
            for (TypeDeclarationDescr type : p.pkg().getTypeDeclarations()) {
                declared.computeIfAbsent(pkgName, k -> new HashMap<>()).put(type.getTypeName(), Set.copyOf(type.getFields().keySet()));
            }
        }
        List<RuleProblem> problems = new ArrayList<>();
        Map<String, Map<String, Set<String>>> calls = new HashMap<>();
        Map<String, Site> functionSites = new HashMap<>();
        Map<String, java.util.Optional<ConstraintConnectiveDescr>> constraints = new HashMap<>();
        for (Parsed p : parsed) {
            String pkgName = p.pkg().getName();
            Set<String> pkgFunctions = functions.getOrDefault(pkgName, Set.of());
            String key = cacheKey(p, pkgFunctions, declared.getOrDefault(pkgName, Map.of()));
            FileResult result = CHECKED.get(key);
            if (result == null) {
                List<RuleProblem> fileProblems = new ArrayList<>();
                Map<String, Map<String, Set<String>>> fileCalls = new HashMap<>();
                Map<String, Site> fileSites = new HashMap<>();
                new FileCheck(p, pkgFunctions, declared, fileProblems, fileCalls, fileSites, constraints).run();
                result = new FileResult(List.copyOf(fileProblems), Map.copyOf(fileCalls.getOrDefault(pkgName, Map.of())), Map.copyOf(fileSites));
                CHECKED.put(key, result);
            }
            problems.addAll(result.problems());
            calls.computeIfAbsent(pkgName, k -> new HashMap<>()).putAll(result.calls());
            functionSites.putAll(result.sites());
        }
        recursion(calls, functionSites, problems);
        problems.sort(Comparator.comparing(RuleProblem::file).thenComparingInt(RuleProblem::line).thenComparingInt(RuleProblem::column));
        return List.copyOf(problems);
    }

    /** One file's outcome: its problems, and its functions' calls and places for the recursion check across files. */
    private record FileResult(List<RuleProblem> problems, Map<String, Set<String>> calls, Map<String, Site> sites) {
    }

    /**
     * Files already checked, by what their outcome depends on: the path, the text, and the functions and types the
     * file's package declares. A reload usually changes one file of forty, so the others are not checked again.
     */
    private static final Map<String, FileResult> CHECKED = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FileResult> eldest) {
            return size() > 2_000;
        }
    });

    private static String cacheKey(Parsed p, Set<String> functions, Map<String, Set<String>> declared) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String part : List.of(p.file(), p.text(), new java.util.TreeSet<>(functions).toString(), new java.util.TreeMap<>(declared).toString())) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What the compiler will see of a file; null when it does not parse (the compiler then reports why, and builds nothing of it). */
    public static PackageDescr parse(String path, String text) {
        try {
            Resource resource = ResourceFactory.newByteArrayResource(text.getBytes(StandardCharsets.UTF_8));
            resource.setSourcePath(path);
            return new DrlParser().parse(resource);
        } catch (Exception e) {
            return null;
        }
    }

    /** A place in a file, for functions whose problems are found after every file was read. */
    private record Site(String file, int line, int column) {
    }

    private static void recursion(Map<String, Map<String, Set<String>>> calls, Map<String, Site> sites, List<RuleProblem> problems) {
        calls.forEach((pkg, graph) -> {
            for (String function : graph.keySet()) {
                if (reaches(graph, function, function, new HashSet<>())) {
                    Site at = sites.get(pkg + "." + function);
                    problems.add(new RuleProblem(at.file(), at.line(), at.column(), "function '" + function
                            + "' calls itself (directly or through other functions); rules may not recurse, it could run forever"));
                }
            }
        });
    }

    private static boolean reaches(Map<String, Set<String>> graph, String from, String target, Set<String> seen) {
        for (String next : graph.getOrDefault(from, Set.of())) {
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next) && reaches(graph, next, target, seen)) {
                return true;
            }
        }
        return false;
    }

    /** The check of one file. */
    private static final class FileCheck {

        private final Parsed parsed;
        private final String file;
        private final String text;
        private final Set<String> functions;
        private final List<RuleProblem> problems;
        private final Map<String, Map<String, Set<String>>> calls;
        private final Map<String, Site> functionSites;
        private final TypeScope types;
        private final Map<String, java.util.Optional<ConstraintConnectiveDescr>> constraints;

        FileCheck(Parsed parsed, Set<String> functions, Map<String, Map<String, Set<String>>> declared, List<RuleProblem> problems,
                  Map<String, Map<String, Set<String>>> calls, Map<String, Site> functionSites,
                  Map<String, java.util.Optional<ConstraintConnectiveDescr>> constraints) {
            this.constraints = constraints;
            this.parsed = parsed;
            this.file = parsed.file();
            this.text = parsed.text();
            this.functions = functions;
            this.problems = problems;
            this.calls = calls;
            this.functionSites = functionSites;
            this.types = new TypeScope(imports(parsed.pkg()), declared.getOrDefault(parsed.pkg().getName(), Map.of()), parsed.pkg().getName());
        }

        void run() {
            PackageDescr pkg = parsed.pkg();
            if (pkg.getUnit() != null) {
                refuse(pkg.getUnit(), "rule units are not supported; write plain rules in a package");
            }
            pkg.getGlobals().forEach(g -> refuse(g, "globals are not supported: rules get everything they need as facts; for a constant write a function"));
            pkg.getFunctionImports().forEach(i -> refuse(i, "'import function' is not allowed: rules may call only the functions their rule set defines"));
            pkg.getAccumulateImports().forEach(i -> refuse(i, "'import accumulate' is not allowed: use count, sum, average, min, max, collectList or collectSet"));
            pkg.getEntryPointDeclarations().forEach(e -> refuse(e, "entry points are not supported"));
            pkg.getWindowDeclarations().forEach(w -> refuse(w, "windows are not supported"));
            pkg.getEnumDeclarations().forEach(e -> refuse(e, "enums cannot be declared in rules; use strings from the vocabulary"));
            pkg.getAttributes().forEach(this::attribute);
            pkg.getImports().forEach(this::importDescr);
            pkg.getTypeDeclarations().forEach(this::typeDeclaration);
            pkg.getFunctions().forEach(this::function);
            pkg.getRules().forEach(this::rule);
        }

        private static Map<String, Class<?>> imports(PackageDescr pkg) {
            Map<String, Class<?>> imports = new HashMap<>();
            for (ImportDescr i : pkg.getImports()) {
                AllowedApi.get().type(i.getTarget()).ifPresent(c -> imports.put(c.getSimpleName(), c));
            }
            return imports;
        }

        private void importDescr(ImportDescr i) {
            String target = i.getTarget();
            if (target.endsWith(".*")) {
                refuse(i, "import each type by name, not '" + target + "'");
            } else if (AllowedApi.get().type(target).isEmpty()) {
                refuse(i, "'" + target + "' is not a type rules may use; rules may use the fact model, text, numbers, java.time and collections");
            }
        }

        private void attribute(AttributeDescr a) {
            String name = a.getName();
            String value = a.getValue() == null ? "" : a.getValue().strip();
            if (!ATTRIBUTES.contains(name)) {
                refuse(a, "the attribute '" + name + "' is not supported; rules may use " + new java.util.TreeSet<>(ATTRIBUTES));
            } else if (name.equals("salience") && !isInteger(value)) {
                refuse(a, "salience must be a whole number, such as 10 or -20, not '" + value + "'");
            } else if (name.equals("dialect") && !value.equals("java")) {
                refuse(a, "only the java dialect is allowed; remove dialect \"" + value + "\"");
            } else if (BOOLEAN_ATTRIBUTES.contains(name) && !value.isEmpty() && !value.equals("true") && !value.equals("false")) {
                refuse(a, name + " takes true or false, not '" + value + "'");
            }
        }

        private static boolean isInteger(String value) {
            try {
                Integer.parseInt(value);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /**
         * Annotation values are evaluated as MVEL when the rule is built: only literals are allowed
         * ({@code @source("RFC 3463")}, {@code @priority(3)}), and {@code @watch} lists of property names on patterns.
         */
        private void annotations(AnnotatedBaseDescr descr) {
            for (AnnotationDescr annotation : descr.getAnnotations()) {
                if (annotation.getName().equals("watch") && descr instanceof PatternDescr) {
                    Object value = annotation.getSingleValue();
                    if (value != null && !String.valueOf(value).chars().allMatch(c -> Character.isJavaIdentifierPart(c) || " ,!*".indexOf(c) >= 0)) {
                        refuse(annotation, "@watch takes property names, '*' and '!', e.g. @watch(reason, !steps)");
                    }
                    continue;
                }
                for (Map.Entry<String, Object> entry : annotation.getValueMap().entrySet()) {
                    if (!isLiteral(String.valueOf(entry.getValue()))) {
                        // Annotations carry no position of their own: the first '@name' after the annotated element's start.
                        report(locate(descr, "@" + annotation.getName()), "the value of @" + annotation.getName()
                                + " must be a plain text, number or true/false, such as @" + annotation.getName() + "(\"…\")");
                    }
                }
            }
        }

        private static boolean isLiteral(String value) {
            var parsed = new com.github.javaparser.JavaParser().parseExpression(value);
            if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
                return false;
            }
            var e = parsed.getResult().get();
            if (e instanceof com.github.javaparser.ast.expr.UnaryExpr u && u.getOperator() == com.github.javaparser.ast.expr.UnaryExpr.Operator.MINUS) {
                e = u.getExpression();
            }
            return e instanceof com.github.javaparser.ast.expr.LiteralExpr && !value.contains("\\u")
                    || e instanceof com.github.javaparser.ast.expr.NameExpr n && Character.isLowerCase(n.getNameAsString().charAt(0));
        }

        private void typeDeclaration(TypeDeclarationDescr type) {
            annotations(type);
            if (type.isTrait()) {
                refuse(type, "traits are not supported; declare a plain fact type");
            }
            type.getSuperTypes().forEach(s -> {
                String name = s.getFullName();
                if (!name.equals("Object") && !name.equals("java.lang.Object") && types.resolve(name).isEmpty()) {
                    refuse(type, "'" + type.getTypeName() + "' may only extend another declared type, not '" + name + "'");
                }
            });
            for (TypeFieldDescr field : type.getFields().values()) {
                annotations(field);
                String fieldType = field.getPattern() == null ? "" : field.getPattern().getObjectType();
                typeName(field, fieldType, "the field '" + field.getFieldName() + "'");
                if (field.getInitExpr() != null && !field.getInitExpr().isBlank()) {
                    check(field, field.getInitExpr(), CodeCheck.condition(field.getInitExpr(), types, null, Set.of(), functions, Set.of()));
                }
            }
        }

        private void typeName(BaseDescr at, String typeName, String what) {
            String t = typeName == null ? "" : typeName.strip();
            if (!CodeCheck.type(t, types).violations().isEmpty()) {
                refuse(at, what + " has type '" + t + "', which rules may not use; rules may use the fact model, text, numbers, java.time and collections");
            }
        }

        private void function(FunctionDescr function) {
            if (function.getDialect() != null && !function.getDialect().equals("java")) {
                refuse(function, "only the java dialect is allowed");
            }
            typeName(function, function.getReturnType() == null ? "void" : function.getReturnType(), "function '" + function.getName() + "'");
            for (int i = 0; i < function.getParameterTypes().size(); i++) {
                typeName(function, function.getParameterTypes().get(i), "the parameter '" + function.getParameterNames().get(i) + "'");
            }
            String body = function.getBody() == null ? "" : function.getBody();
            Located at = locate(function, body);
            CodeCheck.Result result = CodeCheck.block(body, types, CodeCheck.Mode.FUNCTION, functions, Set.copyOf(function.getParameterNames()));
            report(at, result);
            String key = parsed.pkg().getName() + "." + function.getName();
            calls.computeIfAbsent(parsed.pkg().getName(), k -> new HashMap<>()).put(function.getName(), result.calledFunctions());
            functionSites.put(key, new Site(file, Math.max(function.getLine(), 0), Math.max(function.getColumn(), 0) + 1));
        }

        private void rule(RuleDescr rule) {
            annotations(rule);
            rule.getAttributes().values().forEach(this::attribute);
            Set<String> bindings = new HashSet<>();
            if (rule instanceof QueryDescr query) {
                for (int i = 0; i < query.getParameters().length; i++) {
                    bindings.add(query.getParameters()[i]);
                    typeName(query, query.getParameterTypes()[i], "the query parameter '" + query.getParameters()[i] + "'");
                }
            }
            collectBindings(rule.getLhs(), bindings);
            lhs(rule.getLhs(), bindings);
            if (!rule.getNamedConsequences().isEmpty()) {
                refuse(rule, "named consequences (do[…], break[…]) are not supported; write two rules");
            }
            if (rule.getConsequence() != null && !(rule instanceof QueryDescr)) {
                consequence(rule, String.valueOf(rule.getConsequence()), bindings);
            }
        }

        // --- conditions --------------------------------------------------------------------------------------

        private void collectBindings(BaseDescr descr, Set<String> bindings) {
            if (descr instanceof PatternDescr pattern) {
                if (pattern.getIdentifier() != null) {
                    bindings.add(pattern.getIdentifier());
                }
                for (BaseDescr constraint : pattern.getDescrs()) {
                    if (constraint instanceof ExprConstraintDescr expr) {
                        ConstraintConnectiveDescr parsedExpr = constraint(expr);
                        if (parsedExpr != null) {
                            collectExprBindings(parsedExpr, bindings);
                        }
                    }
                }
                if (pattern.getSource() != null) {
                    collectBindings(pattern.getSource(), bindings);
                }
            } else if (descr instanceof AccumulateDescr accumulate) {
                accumulate.getFunctions().forEach(f -> {
                    if (f.getBind() != null) {
                        bindings.add(f.getBind());
                    }
                });
                if (accumulate.getInput() != null) {
                    collectBindings(accumulate.getInput(), bindings);
                }
            } else if (descr instanceof CollectDescr collect) {
                if (collect.getInputPattern() != null) {
                    collectBindings(collect.getInputPattern(), bindings);
                }
            } else if (descr instanceof org.drools.drl.ast.descr.ConditionalElementDescr element) {
                for (Object child : element.getDescrs()) {
                    if (child instanceof BaseDescr b) {
                        collectBindings(b, bindings);
                    }
                }
            }
        }

        private static void collectExprBindings(BaseDescr descr, Set<String> bindings) {
            if (descr instanceof BindingDescr binding) {
                bindings.add(binding.getVariable());
            } else if (descr instanceof ConstraintConnectiveDescr connective) {
                connective.getDescrs().forEach(d -> collectExprBindings(d, bindings));
            } else if (descr instanceof RelationalExprDescr relational) {
                collectExprBindings(relational.getLeft(), bindings);
                collectExprBindings(relational.getRight(), bindings);
            }
        }

        /** A constraint's expression parsed by Drools; the same text recurs across rules, and the parse is only read. */
        private ConstraintConnectiveDescr constraint(ExprConstraintDescr expr) {
            return constraints.computeIfAbsent(expr.getExpression(), text -> {
                DrlExprParser parser = DrlExprParserFactory.getDrlExprParser(LanguageLevelOption.DRL6);
                ConstraintConnectiveDescr result = parser.parse(text);
                return java.util.Optional.ofNullable(parser.hasErrors() ? null : result);
            }).orElse(null);
        }

        private void lhs(BaseDescr descr, Set<String> bindings) {
            if (descr instanceof AndDescr || descr instanceof OrDescr || descr instanceof NotDescr || descr instanceof ExistsDescr
                    || descr instanceof ForallDescr) {
                for (Object child : ((org.drools.drl.ast.descr.ConditionalElementDescr) descr).getDescrs()) {
                    lhs((BaseDescr) child, bindings);
                }
            } else if (descr instanceof PatternDescr pattern) {
                pattern(pattern, bindings);
            } else if (descr instanceof EvalDescr eval) {
                String content = String.valueOf(eval.getContent());
                check(eval, content, CodeCheck.condition(content, types, null, Set.of(), functions, bindings));
            } else {
                refuse(descr, "this kind of condition (" + descr.getClass().getSimpleName().replace("Descr", "") + ") is not supported in rules");
            }
        }

        private void pattern(PatternDescr pattern, Set<String> bindings) {
            annotations(pattern);
            if (!pattern.getBehaviors().isEmpty()) {
                refuse(pattern, "sliding windows are not supported");
            }
            String typeName = pattern.getObjectType();
            var resolved = typeName == null ? java.util.Optional.<TypeScope.Resolved>empty() : types.resolve(typeName);
            if (resolved.isEmpty()) {
                refuse(pattern, "'" + typeName + "' is not a fact type rules may match; import one of the fact model's types or declare one");
                return;
            }
            Class<?> type = resolved.get().type();
            Set<String> declaredFields = type == null ? types.declared().getOrDefault(resolved.get().name(), Set.of()) : Set.of();
            for (BaseDescr constraint : pattern.getDescrs()) {
                if (constraint instanceof ExprConstraintDescr expr) {
                    exprConstraint(expr, type, declaredFields, bindings);
                } else {
                    refuse(constraint, "this kind of constraint is not supported in rules");
                }
            }
            if (pattern.getSource() != null) {
                source(pattern, bindings);
            }
        }

        private void exprConstraint(ExprConstraintDescr expr, Class<?> type, Set<String> declaredFields, Set<String> bindings) {
            ConstraintConnectiveDescr parsedExpr = constraint(expr);
            if (parsedExpr == null) {
                // Drools will report the syntax error when it compiles; it cannot build anything from it.
                refuse(expr, "this constraint could not be read: " + expr.getExpression());
                return;
            }
            operands(expr, parsedExpr, new int[] {0}, type, declaredFields, bindings);
            if (type == DeliveryFact.class) {
                phrasesInNormalForm(expr);
            }
        }

        /**
         * A {@code text contains "…"} phrase must be written as the text it is matched against is made
         * ({@link MatchText}): in any other form (a capital, a curly quote, two spaces) it could never match.
         */
        private void phrasesInNormalForm(ExprConstraintDescr expr) {
            String constraintText = expr.getExpression();
            Matcher m = TEXT_PHRASE.matcher(constraintText);
            while (m.find()) {
                String phrase = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
                if (!MatchText.isNormal(phrase)) {
                    Located where = locate(expr, constraintText);
                    report(where == null ? null : shift(where, m.start(1)), "the phrase \"" + phrase + "\" can never match: rules match a text in lower case"
                            + " with straight quotes and single spaces; write it as \"" + MatchText.of(phrase) + "\"");
                }
            }
        }

        /** Each operand of a constraint is checked as an expression; {@code cursor} finds it in the constraint's text for its position. */
        private void operands(ExprConstraintDescr at, BaseDescr descr, int[] cursor, Class<?> type, Set<String> declaredFields, Set<String> bindings) {
            if (descr instanceof ConstraintConnectiveDescr connective) {
                connective.getDescrs().forEach(d -> operands(at, d, cursor, type, declaredFields, bindings));
            } else if (descr instanceof RelationalExprDescr relational) {
                if (!OPERATORS.contains(relational.getOperator())) {
                    refuse(at, "the operator '" + relational.getOperator() + "' is not supported in rules");
                }
                operands(at, relational.getLeft(), cursor, type, declaredFields, bindings);
                operands(at, relational.getRight(), cursor, type, declaredFields, bindings);
            } else if (descr instanceof BindingDescr binding) {
                operand(at, binding.getExpression(), cursor, type, declaredFields, bindings);
            } else if (descr instanceof AtomicExprDescr atom) {
                operand(at, atom.getExpression(), cursor, type, declaredFields, bindings);
            } else {
                refuse(at, "this kind of constraint is not supported in rules");
            }
        }

        private void operand(ExprConstraintDescr at, String expression, int[] cursor, Class<?> type, Set<String> declaredFields, Set<String> bindings) {
            String constraintText = at.getExpression();
            int inConstraint = constraintText.indexOf(expression, cursor[0]);
            if (inConstraint >= 0) {
                cursor[0] = inConstraint + expression.length();
            }
            Located where = locate(at, constraintText);
            if (where != null && inConstraint >= 0) {
                where = shift(where, inConstraint);
            }
            report(where, CodeCheck.condition(expression, types, type, declaredFields, functions, bindings));
        }

        private void source(PatternDescr pattern, Set<String> bindings) {
            BaseDescr source = pattern.getSource();
            if (source instanceof FromDescr from) {
                String expression = from.getExpression();
                check(pattern, expression, CodeCheck.condition(expression, types, null, Set.of(), functions, bindings));
            } else if (source instanceof AccumulateDescr accumulate) {
                if (accumulate.getInitCode() != null || accumulate.getActionCode() != null || accumulate.getResultCode() != null
                        || accumulate.getReverseCode() != null) {
                    refuse(accumulate, "accumulate with init/action/result code is not allowed; use count, sum, average, min, max, collectList or collectSet");
                }
                if (accumulate.getInput() != null) {
                    lhs(accumulate.getInput(), bindings);
                }
                for (AccumulateDescr.AccumulateFunctionCallDescr function : accumulate.getFunctions()) {
                    if (!AllowedApi.ACCUMULATE_FUNCTIONS.contains(function.getFunction())) {
                        refuse(accumulate, "'" + function.getFunction() + "' is not an accumulate function rules may use; use count, sum, average, min, max, collectList or collectSet");
                    }
                    for (String parameter : function.getParams()) {
                        check(accumulate, parameter, CodeCheck.condition(parameter, types, null, Set.of(), functions, bindings));
                    }
                }
            } else if (source instanceof CollectDescr collect) {
                if (collect.getInputPattern() != null) {
                    lhs(collect.getInputPattern(), bindings);
                }
            } else if (!(source instanceof EntryPointDescr)) {
                refuse(pattern, "this kind of pattern source is not supported in rules");
            }
        }

        // --- consequences ------------------------------------------------------------------------------------

        /**
         * A consequence is Java plus Drools' {@code modify (fact) { setter(…), … }} blocks, which no Java parser reads:
         * Drools' own analyser finds them (as the compiler will), their parts are checked one by one, and the rest,
         * with each block blanked out, is checked as plain Java.
         */
        private void consequence(RuleDescr rule, String code, Set<String> bindings) {
            Located at = locateConsequence(rule, code);
            StringBuilder rest = new StringBuilder(code);
            List<JavaModifyBlockDescr> modifies = new ArrayList<>();
            // Only the word 'modify' starts such a block (escapes that could spell it are refused), so a consequence
            // without it needs no second parser. The same holds for the entry point, exit point and channel forms.
            if (code.contains("modify") || code.contains("entryPoints") || code.contains("exitPoints") || code.contains("channels")) {
                JavaAnalysisResult analysis;
                try {
                    analysis = new JavaExprAnalyzer().analyzeBlock(code, new BoundIdentifiers(Object.class));
                } catch (Exception | StackOverflowError e) {
                    report(at, "the consequence could not be read as Java: " + e.getMessage());
                    return;
                }
                List<JavaBlockDescr> blocks = new ArrayList<>();
                flatten(analysis.getBlockDescrs(), blocks);
                for (JavaBlockDescr block : blocks) {
                    switch (block.getType()) {
                        case ENTRY, EXIT, CHANNEL -> report(shift(at, Math.max(0, block.getStart() - 1)),
                                "entry points, exit points and channels are not available to rules");
                        case MODIFY -> {
                            modifies.add((JavaModifyBlockDescr) block);
                            blank((JavaModifyBlockDescr) block, code, rest);
                        }
                        default -> {
                            // insert, update, delete, if, for, try…: plain Java, checked with the rest
                        }
                    }
                }
            }
            CodeCheck.Result java = CodeCheck.block(rest.toString(), types, CodeCheck.Mode.CONSEQUENCE, functions, bindings);
            report(at, java);
            Set<String> inScope = new HashSet<>(bindings);
            inScope.addAll(java.declared());
            for (JavaModifyBlockDescr block : modifies) {
                modifyBlock(block, code, at, inScope);
            }
        }

        /** The target and each setter of a {@code modify} block, checked with the consequence's variables in scope. */
        private void modifyBlock(JavaModifyBlockDescr block, String code, Located at, Set<String> inScope) {
            int start = blockStart(block, code);
            String target = block.getTargetExpression() == null ? "" : block.getTargetExpression();
            int targetAt = code.indexOf(target, start);
            report(shift(at, targetAt < 0 ? start : targetAt), CodeCheck.modifyPart(target, false, types, functions, inScope));
            int cursor = targetAt < 0 ? start : targetAt + target.length();
            for (String setter : block.getExpressions()) {
                int setterAt = code.indexOf(setter.strip(), cursor);
                if (setterAt >= 0) {
                    cursor = setterAt + setter.strip().length();
                }
                report(shift(at, setterAt < 0 ? start : setterAt), CodeCheck.modifyPart(setter.strip(), true, types, functions, inScope));
            }
        }

        /** The analyser's start is one past the block's first character. */
        private static int blockStart(JavaModifyBlockDescr block, String code) {
            int start = Math.max(0, block.getStart() - 1);
            if (!code.startsWith("modify", start)) {
                int found = code.lastIndexOf("modify", start);
                start = found < 0 ? start : found;
            }
            return start;
        }

        /** An empty statement where the block was, line breaks kept, so positions in the rest stay right. */
        private static void blank(JavaModifyBlockDescr block, String code, StringBuilder rest) {
            int start = blockStart(block, code);
            int end = Math.min(code.length(), block.getEnd());
            for (int i = start; i < end; i++) {
                if (rest.charAt(i) != '\n') {
                    rest.setCharAt(i, ' ');
                }
            }
            rest.setCharAt(start, ';');
        }

        private static void flatten(JavaBlockDescr block, List<JavaBlockDescr> out) {
            if (block instanceof JavaContainerBlockDescr container) {
                if (!(block instanceof org.drools.compiler.rule.builder.dialect.java.parser.JavaRootBlockDescr)) {
                    out.add(block);
                }
                container.getJavaBlockDescrs().forEach(b -> flatten(b, out));
            } else {
                out.add(block);
            }
        }

        // --- positions and reports ---------------------------------------------------------------------------

        private void check(BaseDescr at, String code, CodeCheck.Result result) {
            report(locate(at, code), result);
        }

        private void report(Located at, CodeCheck.Result result) {
            for (CodeCheck.Violation v : result.violations()) {
                report(at == null ? null : at, v);
            }
        }

        private void report(Located at, CodeCheck.Violation v) {
            if (at == null) {
                problems.add(new RuleProblem(file, 0, 0, v.message()));
                return;
            }
            int offset = at.offset + v.offset();
            problems.add(new RuleProblem(file, parsed.lines().line(offset), parsed.lines().column(offset), v.message()));
        }

        private void report(Located at, String message) {
            report(at, new CodeCheck.Violation(0, message));
        }

        private void refuse(BaseDescr at, String message) {
            int line = Math.max(at.getLine(), 0);
            int column = at.getColumn() < 0 ? 0 : at.getColumn() + 1;
            if (line == 0 && at.getStartCharacter() >= 0) {
                line = parsed.lines().line(at.getStartCharacter());
                column = parsed.lines().column(at.getStartCharacter());
            }
            problems.add(new RuleProblem(file, line, column, message));
        }

        /** Where a piece of a descriptor's text starts in the file: searched from the descriptor's own position. */
        private Located locate(BaseDescr at, String code) {
            int from = at.getStartCharacter() >= 0 ? at.getStartCharacter()
                    : at.getLine() > 0 ? parsed.lines().offset(at.getLine(), Math.max(at.getColumn(), 0) + 1) : 0;
            int found = code.isEmpty() ? -1 : text.indexOf(code, from);
            return new Located(found >= 0 ? found : from);
        }

        /** A consequence starts after the {@code then} on its rule's consequence line. */
        private Located locateConsequence(RuleDescr rule, String code) {
            int lineStart = rule.getConsequenceLine() > 0 ? parsed.lines().offset(rule.getConsequenceLine(), 1) : Math.max(rule.getStartCharacter(), 0);
            int found = code.isEmpty() ? -1 : text.indexOf(code, lineStart);
            return new Located(found >= 0 ? found : lineStart);
        }

        private static Located shift(Located at, int offsetInCode) {
            return at == null ? null : new Located(at.offset + Math.max(0, offsetInCode));
        }

        /** An absolute offset in the file. */
        private record Located(int offset) {
        }
    }

    /** Line and column (1-based) of an offset in a text, and back. */
    static final class LineIndex {
        private final int[] starts;
        private final int length;

        LineIndex(String text) {
            List<Integer> list = new ArrayList<>();
            list.add(0);
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    list.add(i + 1);
                }
            }
            starts = list.stream().mapToInt(Integer::intValue).toArray();
            length = text.length();
        }

        int line(int offset) {
            int i = java.util.Arrays.binarySearch(starts, Math.min(Math.max(offset, 0), length));
            return (i >= 0 ? i : -i - 2) + 1;
        }

        int column(int offset) {
            return Math.min(Math.max(offset, 0), length) - starts[line(offset) - 1] + 1;
        }

        int offset(int line, int column) {
            int l = Math.min(Math.max(line, 1), starts.length);
            return Math.min(length, starts[l - 1] + Math.max(column, 1) - 1);
        }
    }
}
