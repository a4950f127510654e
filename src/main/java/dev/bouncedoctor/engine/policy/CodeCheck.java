package dev.bouncedoctor.engine.policy;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Position;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.ClassExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.SuperExpr;
import com.github.javaparser.ast.expr.SwitchExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.TypePatternExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.BreakStmt;
import com.github.javaparser.ast.stmt.ContinueStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.LocalClassDeclarationStmt;
import com.github.javaparser.ast.stmt.LocalRecordDeclarationStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.SynchronizedStmt;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.stmt.TryStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.VarType;
import com.github.javaparser.ast.type.VoidType;
import com.github.javaparser.ast.type.WildcardType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one piece of rule code, parsed as Java by JavaParser, against {@link AllowedApi}: a constraint's
 * expression, an {@code eval}, a {@code from} source, a consequence or a function body. It is an allow-list
 * over the syntax tree: each kind of node it knows is checked, every other kind is refused, so a construct
 * nobody thought of is refused rather than let through.
 *
 * <p>Names are resolved the way the compiler will: a variable in scope (a local, a parameter, a rule's binding),
 * in a constraint a property of the pattern's type, else a type (imported, declared in DRL, or {@code java.lang}),
 * else the start of a qualified type name. A value may only be asked for members {@link AllowedApi} allows on
 * every value; a type only for its own allowed static members.
 */
final class CodeCheck {

    /** Where the code sits: constraint languages read properties; consequences reach the session through {@code drools}. */
    enum Mode { CONDITION, CONSEQUENCE, FUNCTION }

    /** A finding of the check, at a 0-based offset into the checked text. */
    record Violation(int offset, String message) {
    }

    /** What a name or a qualified prefix turned out to be. */
    private sealed interface Ref {
    }

    private record Value() implements Ref {
    }

    /** A type; {@code type} is null for a type declared in DRL, which has no static members. */
    private record TypeRef(Class<?> type, String name) implements Ref {
    }

    private record PackageRef(String prefix) implements Ref {
    }

    /** {@code drools} or {@code kcontext}: the engine; only passed on, never used. */
    private record ContextRef(String name) implements Ref {
    }

    private record Invalid() implements Ref {
    }

    private static final Value VALUE = new Value();
    private static final Invalid INVALID = new Invalid();

    private final AllowedApi api = AllowedApi.get();
    private final TypeScope types;
    private final Mode mode;
    private final Class<?> patternType;
    private final Set<String> declaredPatternFields;
    private final Set<String> functions;
    private final Deque<Set<String>> variables = new ArrayDeque<>();
    private final String text;
    private final java.util.List<Violation> violations = new java.util.ArrayList<>();
    /** Whether the text was parsed with an opening brace put before it. */
    private boolean braced;
    /** Functions this code calls, for the recursion check. */
    private final Set<String> calledFunctions = new LinkedHashSet<>();
    /** Every local variable declared, whatever its scope: a modify block's setters may use them. */
    private final Set<String> declared = new HashSet<>();

    private CodeCheck(String text, TypeScope types, Mode mode, Class<?> patternType, Set<String> declaredPatternFields, Set<String> functions,
                      Set<String> bindings) {
        this.text = text;
        this.types = types;
        this.mode = mode;
        this.patternType = patternType;
        this.declaredPatternFields = declaredPatternFields;
        this.functions = functions;
        this.variables.push(new HashSet<>(bindings));
    }

    /** The outcome: what is wrong, which functions the code calls, and the local variables it declares. */
    record Result(java.util.List<Violation> violations, Set<String> calledFunctions, Set<String> declared) {
    }

    /**
     * An expression of the constraint language: a constraint's operand, an {@code eval}, a {@code from} source.
     *
     * @param patternType the pattern's class whose properties plain names read, or null (no pattern, or a type declared in DRL)
     * @param declaredPatternFields the fields of a pattern whose type is declared in DRL
     */
    static Result condition(String expression, TypeScope types, Class<?> patternType, Set<String> declaredPatternFields, Set<String> functions,
                            Set<String> bindings) {
        CodeCheck check = new CodeCheck(expression, types, Mode.CONDITION, patternType, declaredPatternFields, functions, bindings);
        if (check.lexicallySafe()) {
            String atom = expression.strip();
            // Most operands are a plain name or a string literal; they need no parser (see below) and are most of the work.
            if (isStringLiteral(atom)) {
                return check.result();
            }
            if (isIdentifier(atom)) {
                check.asValue(check.name(null, atom), null, atom);
                // Positions are relative to the text given: move them to where the name starts in it.
                int at = expression.indexOf(atom);
                check.violations.replaceAll(v -> new Violation(v.offset() + at, v.message()));
                return check.result();
            }
            ParseResult<Expression> parsed = parser().parseExpression(expression);
            if (check.parsed(parsed)) {
                check.expression(parsed.getResult().orElseThrow());
            }
        }
        return check.result();
    }

    /** A Java block: a consequence (with {@code drools} in scope) or a function's body. */
    static Result block(String code, TypeScope types, Mode mode, Set<String> functions, Set<String> variablesInScope) {
        CodeCheck check = new CodeCheck(code, types, mode, null, Set.of(), functions, variablesInScope);
        check.braced = true;
        if (check.lexicallySafe()) {
            // The braces make the text one block; they add one column to the first line, taken off in offset().
            ParseResult<BlockStmt> parsed = parser().parseBlock("{" + code + "\n}");
            if (check.parsed(parsed)) {
                check.statement(parsed.getResult().orElseThrow());
            }
        }
        return check.result();
    }

    /** The target of a {@code modify (target) { … }} block, or one of its setter calls, which take the target as receiver. */
    static Result modifyPart(String expression, boolean setter, TypeScope types, Set<String> functions, Set<String> bindings) {
        CodeCheck check = new CodeCheck(expression, types, Mode.CONSEQUENCE, null, Set.of(), functions, bindings);
        if (check.lexicallySafe()) {
            ParseResult<Expression> parsed = parser().parseExpression(expression);
            if (check.parsed(parsed)) {
                Expression e = parsed.getResult().orElseThrow();
                if (setter) {
                    if (e instanceof MethodCallExpr call && call.getScope().isEmpty()) {
                        check.memberCall(call, VALUE);
                    } else {
                        check.refuse(e, "inside modify { … } write calls of the modified fact's setters, e.g. setRetry(\"later\")");
                    }
                } else {
                    check.expression(e);
                }
            }
        }
        return check.result();
    }

    /** A type as written in DRL (a function's parameter or return type, a declared field's type). */
    static Result type(String typeText, TypeScope types) {
        CodeCheck check = new CodeCheck(typeText, types, Mode.FUNCTION, null, Set.of(), Set.of(), Set.of());
        if (check.lexicallySafe()) {
            ParseResult<Type> parsed = parser().parseType(typeText);
            if (check.parsed(parsed)) {
                check.type(parsed.getResult().orElseThrow());
            }
        }
        return check.result();
    }

    /**
     * One parser per thread: making one costs as much as parsing a constraint. RAW, because the language-level
     * validators triple the cost and decide nothing here: any construct this class does not know is refused anyway.
     * Unicode escapes are refused before parsing (see lexicallySafe), so the parser sees what the compiler sees.
     */
    private static final ThreadLocal<JavaParser> PARSER = ThreadLocal.withInitial(() -> new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.RAW).setAttributeComments(false)));

    private static JavaParser parser() {
        return PARSER.get();
    }

    /**
     * Exactly one Java string literal token: a quote, then characters where a backslash always takes the next one
     * with it, up to the closing quote at the very end. ({@code "a\\" + x + "b"} is not: its second quote ends it early.)
     */
    static boolean isStringLiteral(String text) {
        if (text.length() < 2 || text.charAt(0) != '"' || text.charAt(text.length() - 1) != '"') {
            return false;
        }
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= text.length() - 1) {
                    return false; // the last quote was escaped
                }
            } else if (c == '"' || c == '\n' || c == '\r') {
                return false;
            }
        }
        return true;
    }

    /** A single Java identifier that is no keyword or literal: what the parser would read as a plain name. */
    static boolean isIdentifier(String text) {
        if (text.isEmpty() || !Character.isJavaIdentifierStart(text.charAt(0)) || KEYWORDS.contains(text)) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            if (!Character.isJavaIdentifierPart(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static final Set<String> KEYWORDS = Set.of("this", "super", "null", "true", "false", "new", "class", "instanceof",
            "var", "yield", "record", "switch", "default", "case");

    private Result result() {
        return new Result(java.util.List.copyOf(violations), Set.copyOf(calledFunctions), Set.copyOf(declared));
    }

    /**
     * Java compilers turn {@code \u000a} into a line break before they parse, so an escape inside a comment can
     * end the comment and start code that a parser reading the text as written never sees. Rule code has no need
     * for escapes of this kind: they are refused, and the character can be written as itself.
     */
    private boolean lexicallySafe() {
        for (int i = text.indexOf("\\u"); i >= 0; i = text.indexOf("\\u", i + 1)) {
            int backslashes = 0;
            for (int j = i; j >= 0 && text.charAt(j) == '\\'; j--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                violations.add(new Violation(i, "unicode escapes (\\uXXXX) are not allowed in rule code; write the character itself"));
                return false;
            }
        }
        return true;
    }

    private boolean parsed(ParseResult<?> parsed) {
        if (parsed.isSuccessful() && parsed.getResult().isPresent()) {
            return true;
        }
        Problem first = parsed.getProblems().isEmpty() ? null : parsed.getProblems().get(0);
        int offset = first == null ? 0 : first.getLocation().flatMap(l -> l.toRange()).map(r -> offset(r.begin)).orElse(0);
        String detail = first == null ? "" : first.getMessage().lines().findFirst().orElse("");
        violations.add(new Violation(offset, "this is not code a rule may run (only plain Java expressions and statements are understood): " + detail));
        return false;
    }

    // --- statements (consequences and functions) ---------------------------------------------------------------

    private void statement(Statement s) {
        if (s instanceof BlockStmt block) {
            variables.push(new HashSet<>());
            block.getStatements().forEach(this::statement);
            variables.pop();
        } else if (s instanceof ExpressionStmt e) {
            expression(e.getExpression());
        } else if (s instanceof IfStmt i) {
            expression(i.getCondition());
            scoped(i.getThenStmt());
            i.getElseStmt().ifPresent(this::scoped);
        } else if (s instanceof ReturnStmt r) {
            r.getExpression().ifPresent(this::expression);
        } else if (s instanceof ForEachStmt f) {
            expression(f.getIterable());
            variables.push(new HashSet<>());
            f.getVariable().getVariables().forEach(this::declare);
            statement(f.getBody());
            variables.pop();
        } else if (s instanceof BreakStmt || s instanceof ContinueStmt || s instanceof EmptyStmt) {
            // nothing to check
        } else if (s instanceof WhileStmt || s instanceof DoStmt || s instanceof ForStmt) {
            refuse(s, "loops are not allowed in rules (they could run forever); use a for-each over a collection, a pattern or an accumulate");
        } else if (s instanceof LocalClassDeclarationStmt || s instanceof LocalRecordDeclarationStmt) {
            refuse(s, "rules cannot declare classes; declare a fact type with 'declare' if one is needed");
        } else if (s instanceof TryStmt || s instanceof ThrowStmt) {
            refuse(s, "rules do not throw or catch exceptions; a rule that cannot decide should not fire");
        } else if (s instanceof SynchronizedStmt) {
            refuse(s, "rules do not take locks");
        } else {
            refuse(s, "'" + firstWord(s) + "' statements are not allowed in rules");
        }
    }

    private void scoped(Statement s) {
        variables.push(new HashSet<>());
        statement(s);
        variables.pop();
    }

    // --- expressions -------------------------------------------------------------------------------------------

    /** An expression whose value is used: a type, a package or the engine's context is not a value. */
    private void expression(Expression e) {
        asValue(ref(e), e, null);
    }

    private void asValue(Ref ref, Node at, String text) {
        String what = text != null ? text : at.toString();
        if (ref instanceof TypeRef t) {
            refuse(at, "'" + what + "' is a type; rules may use its members (" + t.name() + ".…) but not the type itself");
        } else if (ref instanceof PackageRef) {
            refuse(at, "'" + what + "' is not a value rules may use");
        } else if (ref instanceof ContextRef c) {
            refuse(at, contextMisuse(c.name()));
        }
    }

    /** Checks an expression and says what it denotes, so that a qualifier is understood before its member is. */
    private Ref ref(Expression e) {
        if (e instanceof LiteralExpr) {
            return VALUE;
        }
        if (e instanceof NameExpr n) {
            return name(n, n.getNameAsString());
        }
        if (e instanceof FieldAccessExpr f) {
            return fieldAccess(f);
        }
        if (e instanceof MethodCallExpr m) {
            return methodCall(m);
        }
        if (e instanceof ObjectCreationExpr o) {
            if (o.getAnonymousClassBody().isPresent()) {
                return refuse(o, "anonymous classes are not allowed in rules");
            }
            if (o.getScope().isPresent()) {
                return refuse(o, "inner class creation is not allowed in rules");
            }
            type(o.getType());
            arguments(o.getArguments(), null);
            return VALUE;
        }
        if (e instanceof BinaryExpr b) {
            expression(b.getLeft());
            expression(b.getRight());
            return VALUE;
        }
        if (e instanceof UnaryExpr u) {
            expression(u.getExpression());
            return VALUE;
        }
        if (e instanceof ConditionalExpr c) {
            expression(c.getCondition());
            expression(c.getThenExpr());
            expression(c.getElseExpr());
            return VALUE;
        }
        if (e instanceof EnclosedExpr en) {
            return ref(en.getInner());
        }
        if (e instanceof AssignExpr a) {
            expression(a.getTarget());
            expression(a.getValue());
            return VALUE;
        }
        if (e instanceof CastExpr c) {
            type(c.getType());
            expression(c.getExpression());
            return VALUE;
        }
        if (e instanceof InstanceOfExpr i) {
            expression(i.getExpression());
            type(i.getType());
            i.getPattern().ifPresent(p -> {
                if (p instanceof TypePatternExpr t) {
                    variables.peek().add(t.getNameAsString());
                } else {
                    refuse(p, "record patterns are not supported in rules");
                }
            });
            return VALUE;
        }
        if (e instanceof ArrayAccessExpr a) {
            expression(a.getName());
            expression(a.getIndex());
            return VALUE;
        }
        if (e instanceof ArrayCreationExpr || e instanceof ArrayInitializerExpr) {
            // A rule has no use for arrays, and new long[n] is the shortest way to fill the heap.
            return refuse(e, "arrays are not used in rules; use a List");
        }
        if (e instanceof VariableDeclarationExpr v) {
            if (mode == Mode.CONDITION) {
                return refuse(v, "a condition cannot declare variables");
            }
            v.getVariables().forEach(this::declare);
            return VALUE;
        }
        if (e instanceof ThisExpr t) {
            if (mode == Mode.CONDITION && t.getTypeName().isEmpty()) {
                return VALUE; // the fact the pattern matches
            }
            return refuse(t, "'this' is only the matched fact, inside a pattern's constraints");
        }
        if (e instanceof LambdaExpr) {
            return refuse(e, "lambdas are not allowed in rules");
        }
        if (e instanceof MethodReferenceExpr) {
            return refuse(e, "method references are not allowed in rules");
        }
        if (e instanceof ClassExpr) {
            return refuse(e, "class literals (X.class) are not allowed: rules may not use reflection");
        }
        if (e instanceof SuperExpr) {
            return refuse(e, "'super' is not allowed in rules");
        }
        if (e instanceof SwitchExpr) {
            return refuse(e, "switch expressions are not supported in rules; use if/else or one rule per case");
        }
        return refuse(e, "this kind of expression (" + e.getClass().getSimpleName().replace("Expr", "") + ") is not allowed in rules");
    }

    private void declare(VariableDeclarator v) {
        if (!(v.getType() instanceof VarType)) {
            type(v.getType());
        }
        v.getInitializer().ifPresent(this::expression);
        variables.peek().add(v.getNameAsString());
        declared.add(v.getNameAsString());
    }

    private Ref name(Node at, String name) {
        for (Set<String> scope : variables) {
            if (scope.contains(name)) {
                return VALUE;
            }
        }
        if (AllowedApi.CONTEXT_VARIABLES.contains(name) && mode == Mode.CONSEQUENCE) {
            return new ContextRef(name);
        }
        if (mode == Mode.CONDITION && (patternType != null && api.hasProperty(patternType, name) || declaredPatternFields.contains(name))) {
            return VALUE;
        }
        Optional<TypeRef> type = types.resolve(name).map(t -> new TypeRef(t.type(), t.name()));
        if (type.isPresent()) {
            return type.get();
        }
        if (api.isPackagePrefix(name)) {
            return new PackageRef(name);
        }
        String where = mode == Mode.CONDITION && patternType != null ? ", a property of " + patternType.getSimpleName() : "";
        return refuse(at, "unknown name '" + name + "': not a variable or binding" + where + ", nor a type rules may use");
    }

    private Ref fieldAccess(FieldAccessExpr f) {
        Ref scope = ref(f.getScope());
        String name = f.getNameAsString();
        if (scope instanceof Value) {
            return api.property(name) || types.declaredField(name) ? VALUE
                    : refuse(f.getName(), "'" + name + "' is not something rules may read");
        }
        if (scope instanceof TypeRef t) {
            if (t.type() != null && api.staticField(t.type(), name)) {
                return VALUE;
            }
            Optional<TypeScope.Resolved> nested = types.resolveQualified(t.name() + "." + name);
            if (nested.isPresent()) {
                return new TypeRef(nested.get().type(), nested.get().name());
            }
            return refuse(f.getName(), "'" + t.name() + "." + name + "' is not something rules may use");
        }
        if (scope instanceof PackageRef p) {
            String qualified = p.prefix() + "." + name;
            Optional<TypeScope.Resolved> type = types.resolveQualified(qualified);
            if (type.isPresent()) {
                return new TypeRef(type.get().type(), type.get().name());
            }
            if (api.isPackagePrefix(qualified)) {
                return new PackageRef(qualified);
            }
            return refuse(f, "'" + qualified + "' is not a type rules may use; rules may use the fact model, text, numbers, java.time and collections");
        }
        if (scope instanceof ContextRef c) {
            return refuse(f, contextMisuse(c.name()));
        }
        return INVALID;
    }

    private Ref methodCall(MethodCallExpr m) {
        m.getTypeArguments().ifPresent(args -> args.forEach(this::type));
        if (m.getScope().isEmpty()) {
            String name = m.getNameAsString();
            arguments(m.getArguments(), null);
            if (functions.contains(name)) {
                calledFunctions.add(name);
                return VALUE;
            }
            if (mode == Mode.CONSEQUENCE && AllowedApi.CONSEQUENCE_BUILTINS.contains(name)) {
                return VALUE;
            }
            if (mode == Mode.CONDITION && patternType != null && api.instanceMethod(name) && hasMethod(patternType, name)) {
                return VALUE;
            }
            return refuse(m.getName(), "'" + name + "(…)' is not a function of this rule set" + (mode == Mode.CONSEQUENCE
                    ? " nor one of insert, insertLogical, update, modify, delete, retract" : "")
                    + (patternType != null ? " nor a method of " + patternType.getSimpleName() + " that rules may call" : ""));
        }
        Ref scope = ref(m.getScope().get());
        return memberCall(m, scope);
    }

    /** A call on a receiver that has been checked already ({@code scope}); also the setters of a modify block. */
    private Ref memberCall(MethodCallExpr m, Ref scope) {
        String name = m.getNameAsString();
        if (scope instanceof Value) {
            arguments(m.getArguments(), null);
            return api.instanceMethod(name) || types.declaredAccessor(name) ? VALUE
                    : refuse(m.getName(), "'" + name + "(…)' is not a method rules may call");
        }
        if (scope instanceof TypeRef t) {
            arguments(m.getArguments(), t.type());
            if (t.type() != null && api.staticMethod(t.type(), name)) {
                return VALUE;
            }
            return refuse(m.getName(), "'" + t.name() + "." + name + "(…)' is not a method rules may call");
        }
        arguments(m.getArguments(), null);
        if (scope instanceof PackageRef p) {
            return refuse(m.getScope().orElse(m), "'" + p.prefix() + "' is not a type rules may use");
        }
        if (scope instanceof ContextRef c) {
            return refuse(m, contextMisuse(c.name()));
        }
        return INVALID;
    }

    /**
     * The arguments of a call. {@code drools} may be one of them only when the call is a static method of the fact
     * model ({@code Finding.of(drools, …)}, {@code Advice.of(drools, $c)}), which reads the rule's name from it.
     */
    private void arguments(java.util.List<Expression> arguments, Class<?> staticReceiver) {
        for (Expression argument : arguments) {
            if (argument instanceof NameExpr n && isContext(n.getNameAsString())) {
                if (staticReceiver == null || !api.isModel(staticReceiver)) {
                    refuse(n, contextMisuse(n.getNameAsString()));
                }
            } else {
                expression(argument);
            }
        }
    }

    /** {@code drools} or {@code kcontext} in a consequence, unless a variable of that name hides it. */
    private boolean isContext(String name) {
        return mode == Mode.CONSEQUENCE && AllowedApi.CONTEXT_VARIABLES.contains(name) && variables.stream().noneMatch(s -> s.contains(name));
    }

    private static String contextMisuse(String name) {
        return "'" + name + "' may only be handed to the model's builders, as in Finding.of(" + name + ", …) or Advice.of(" + name
                + ", $c); rules may not use the engine itself";
    }

    private static boolean hasMethod(Class<?> type, String name) {
        for (java.lang.reflect.Method method : type.getMethods()) {
            if (method.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    // --- types -------------------------------------------------------------------------------------------------

    private void type(Type t) {
        if (t instanceof PrimitiveType || t instanceof VoidType || t instanceof VarType) {
            return;
        }
        if (t instanceof ArrayType a) {
            type(a.getComponentType());
            return;
        }
        if (t instanceof WildcardType w) {
            w.getExtendedType().ifPresent(this::type);
            w.getSuperType().ifPresent(this::type);
            return;
        }
        if (t instanceof ClassOrInterfaceType c) {
            String name = c.getNameWithScope();
            if (types.resolve(name).isEmpty() && types.resolveQualified(name).isEmpty()) {
                refuse(c, "'" + name + "' is not a type rules may use; rules may use the fact model, text, numbers, java.time and collections");
            }
            c.getTypeArguments().ifPresent(args -> args.forEach(this::type));
            return;
        }
        refuse(t, "this kind of type is not allowed in rules");
    }

    // --- reporting ---------------------------------------------------------------------------------------------

    private Ref refuse(Node at, String message) {
        int offset = at == null ? 0 : at.getRange().map(r -> offset(r.begin)).orElse(0);
        violations.add(new Violation(offset, message));
        return INVALID;
    }

    /** A parser position (1-based line and column, into the text as parsed) as an offset into the text as given. */
    private int offset(Position p) {
        int line = 1;
        int i = 0;
        while (line < p.line && i < text.length()) {
            if (text.charAt(i++) == '\n') {
                line++;
            }
        }
        // Blocks are parsed with an opening brace before the text: one column more on their first line.
        int column = p.column - 1 - (line == 1 && braced ? 1 : 0);
        return Math.min(text.length(), Math.max(0, i + column));
    }

    private static String firstWord(Node n) {
        String s = n.toString().strip();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return end == 0 ? s.substring(0, Math.min(10, s.length())) : s.substring(0, end);
    }
}
