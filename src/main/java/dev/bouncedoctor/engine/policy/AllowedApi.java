package dev.bouncedoctor.engine.policy;

import dev.bouncedoctor.model.Advice;
import dev.bouncedoctor.model.Attempt;
import dev.bouncedoctor.model.Conclusion;
import dev.bouncedoctor.model.DeliveryFact;
import dev.bouncedoctor.model.EventStatus;
import dev.bouncedoctor.model.Finding;
import dev.bouncedoctor.model.RecipientState;
import dev.bouncedoctor.model.RecipientVerdict;
import dev.bouncedoctor.model.ReportedSymptom;
import dev.bouncedoctor.model.SenderFlag;
import dev.bouncedoctor.model.Specificity;
import dev.bouncedoctor.model.BounceContext;
import dev.bouncedoctor.model.Aside;
import dev.bouncedoctor.model.AddressFacts;
import dev.bouncedoctor.model.AddressSuggestion;
import dev.bouncedoctor.model.AddressVerdict;
import dev.bouncedoctor.model.MailboxDomain;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.time.temporal.TemporalUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What rules may touch: the fact model and its result builders, plus plain value types (text, numbers,
 * {@code java.time}, the common collections). Everything a rule can call or read is derived from these
 * classes by reflection, so the list of types is the whole policy and a new model class needs one line here.
 *
 * <p>Why this is enough: a rule starts from literals, its facts and these types' static members. If every
 * method or property it may use returns one of these types again, no chain of calls ever reaches an object of
 * another type (a {@code Class}, a class loader, a file, a thread, the engine). So a member name is allowed
 * only when <em>every</em> allowed type that has a public member of that name returns an allowed type from it:
 * {@code getClass} is refused everywhere because it returns a {@code Class}, and a name cannot be borrowed
 * from a harmless type to call a dangerous member of another.
 */
public final class AllowedApi {

    /** The fact model: what the rules match, insert and build. */
    static final List<Class<?>> MODEL = List.of(
            DeliveryFact.class, Finding.class, Specificity.class, Conclusion.class, Advice.class,
            RecipientState.class, RecipientVerdict.class, Attempt.class, SenderFlag.class, ReportedSymptom.class,
            BounceContext.class, Aside.class, MailboxDomain.class, AddressSuggestion.class,
            AddressFacts.class, AddressVerdict.class, EventStatus.class);

    /** Plain values: immutable or self-contained, with no way out to the JVM, the file system or the network. */
    static final List<Class<?>> VALUES = List.of(
            Object.class, String.class, CharSequence.class, StringBuilder.class, Comparable.class, Iterable.class,
            Boolean.class, Character.class, Number.class, Byte.class, Short.class, Integer.class, Long.class,
            Float.class, Double.class, Math.class,
            Collection.class, List.class, ArrayList.class, Set.class, HashSet.class, LinkedHashSet.class,
            Map.class, Map.Entry.class, HashMap.class, LinkedHashMap.class, TreeMap.class, Iterator.class,
            Optional.class, Objects.class,
            Duration.class, Period.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
            OffsetDateTime.class, ZonedDateTime.class, ZoneId.class, ZoneOffset.class, DayOfWeek.class, Month.class,
            ChronoUnit.class, Temporal.class, TemporalAmount.class, TemporalUnit.class,
            // Text matching, as the constraint operator 'matches' already does: e.g. a wait read out of "try again in 5 minutes".
            Pattern.class, Matcher.class);

    /**
     * Members refused whatever they return: they block a thread ({@code wait}), read the JVM's system
     * properties ({@code Integer.getInteger}, {@code Long.getLong}, {@code Boolean.getBoolean}), lead to
     * constant descriptors, the first step towards method handles, or make a gigabyte string in one call ({@code repeat}).
     */
    private static final Set<String> DENIED = Set.of("wait", "notify", "notifyAll", "getClass", "getInteger", "getLong",
            "getBoolean", "describeConstable", "resolveConstantDesc", "finalize", "repeat");

    /** Drools' accumulate functions that only compute over the matched values. */
    static final Set<String> ACCUMULATE_FUNCTIONS = Set.of("count", "sum", "average", "min", "max", "collectList", "collectSet");

    /** What a consequence may call without a receiver: Drools' own operations on the session's facts. */
    static final Set<String> CONSEQUENCE_BUILTINS = Set.of("insert", "insertLogical", "update", "delete", "retract");

    /** The variables through which Drools hands a consequence its context; only the model's builders may receive them. */
    static final Set<String> CONTEXT_VARIABLES = Set.of("drools", "kcontext");

    private static final AllowedApi INSTANCE = new AllowedApi();

    private final Map<String, Class<?>> byName = new HashMap<>();
    private final Set<String> packages = new HashSet<>();
    private final Set<String> instanceMethods;
    private final Set<String> properties;
    private final Map<Class<?>, Set<String>> typeProperties = new java.util.concurrent.ConcurrentHashMap<>();

    private AllowedApi() {
        for (Class<?> type : all().toList()) {
            byName.put(type.getCanonicalName(), type);
            String pkg = type.getPackageName();
            for (int dot = pkg.length(); dot > 0; dot = pkg.lastIndexOf('.', dot - 1)) {
                packages.add(pkg.substring(0, dot));
            }
        }
        // Java lets a static method be called through a value too, so static methods count here as well.
        instanceMethods = safeNames(all().flatMap(t -> Stream.of(t.getMethods())).filter(AllowedApi::real)
                .map(m -> new Member(m.getName(), m.getGenericReturnType())));
        // A property name is safe only if every getter, record component and public field of that name is.
        properties = safeNames(Stream.concat(
                all().flatMap(t -> Stream.of(t.getMethods()))
                        .filter(m -> real(m) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0)
                        .map(m -> new Member(propertyName(m), m.getGenericReturnType())),
                all().flatMap(t -> Stream.of(t.getFields())).map(f -> new Member(f.getName(), f.getGenericType()))));
    }

    /**
     * Bridge methods stand in for a covariant override (LocalDate's {@code plus} also exists returning
     * {@code ChronoLocalDate}); a call always reaches the real method, so only that one counts.
     */
    private static boolean real(Method m) {
        return !m.isBridge() && !m.isSynthetic();
    }

    /** A member's name and what it gives. */
    private record Member(String name, Type type) {
    }

    public static AllowedApi get() {
        return INSTANCE;
    }

    private static Stream<Class<?>> all() {
        return Stream.concat(MODEL.stream(), VALUES.stream());
    }

    /** The type a qualified name denotes, e.g. {@code java.time.Duration} or {@code java.util.Map.Entry}; empty if not allowed. */
    Optional<Class<?>> type(String canonicalName) {
        return Optional.ofNullable(byName.get(canonicalName));
    }

    /** The types {@code java.lang} offers without an import, as Java and MVEL resolve a simple name. */
    Optional<Class<?>> implicitType(String simpleName) {
        return type("java.lang." + simpleName);
    }

    /** Whether a qualified name is the start of an allowed type's name ({@code java}, {@code java.time}). */
    boolean isPackagePrefix(String qualified) {
        return packages.contains(qualified);
    }

    boolean isModel(Class<?> type) {
        return MODEL.contains(type);
    }

    /** A method that may be called on any value the rules can hold. */
    boolean instanceMethod(String name) {
        return instanceMethods.contains(name);
    }

    /** A property ({@code x.name}: getter, record component, public field) that may be read on any value. */
    boolean property(String name) {
        return properties.contains(name);
    }

    /** Whether the given type has such a property: what an unqualified name in a pattern's constraint reads. */
    boolean hasProperty(Class<?> type, String name) {
        return property(name) && typeProperties.computeIfAbsent(type, AllowedApi::propertiesOf).contains(name);
    }

    private static Set<String> propertiesOf(Class<?> type) {
        Set<String> names = new HashSet<>();
        for (Method m : type.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0) {
                names.add(propertyName(m));
            }
        }
        for (Field f : type.getFields()) {
            names.add(f.getName());
        }
        return names;
    }

    /** A public static method of this type whose every overload returns an allowed type. */
    boolean staticMethod(Class<?> type, String name) {
        return !DENIED.contains(name) && allSafe(Stream.of(type.getMethods())
                .filter(m -> real(m) && Modifier.isStatic(m.getModifiers()) && m.getName().equals(name)), Method::getGenericReturnType);
    }

    /** A public static field (or enum constant) of this type, of an allowed type. */
    boolean staticField(Class<?> type, String name) {
        return allSafe(Stream.of(type.getFields()).filter(f -> Modifier.isStatic(f.getModifiers()) && f.getName().equals(name)),
                Field::getGenericType);
    }

    /** Whether values of this type may flow through a rule (as a declared field, a parameter, a variable). */
    boolean allowed(Type type) {
        if (type instanceof Class<?> c) {
            if (c.isPrimitive()) {
                return true;
            }
            if (c.isArray()) {
                return allowed(c.getComponentType());
            }
            return MODEL.contains(c) || VALUES.contains(c);
        }
        if (type instanceof ParameterizedType p) {
            return allowed(p.getRawType()) && Stream.of(p.getActualTypeArguments()).allMatch(this::allowed);
        }
        if (type instanceof GenericArrayType g) {
            return allowed(g.getGenericComponentType());
        }
        if (type instanceof WildcardType w) {
            return Stream.of(w.getUpperBounds()).allMatch(this::allowed) && Stream.of(w.getLowerBounds()).allMatch(this::allowed);
        }
        // A type variable holds whatever was put in, and only allowed values can be put in.
        return type instanceof TypeVariable<?>;
    }

    private Set<String> safeNames(Stream<Member> members) {
        Map<String, Boolean> safe = new HashMap<>();
        members.forEach(m -> safe.merge(m.name(), !DENIED.contains(m.name()) && allowed(m.type()), Boolean::logicalAnd));
        return safe.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    private <M> boolean allSafe(Stream<M> members, java.util.function.Function<M, Type> type) {
        List<M> list = members.toList();
        return !list.isEmpty() && list.stream().map(type).allMatch(this::allowed);
    }

    /**
     * The property a no-argument method exposes, as Drools' constraint language reads it: {@code getReason}
     * and {@code isPrimary} as {@code reason} and {@code primary}, a record's {@code reason()} as itself.
     */
    static String propertyName(Method m) {
        String n = m.getName();
        if (n.length() > 3 && n.startsWith("get") && Character.isUpperCase(n.charAt(3))) {
            return decapitalize(n.substring(3));
        }
        if (n.length() > 2 && n.startsWith("is") && Character.isUpperCase(n.charAt(2))) {
            return decapitalize(n.substring(2));
        }
        return n;
    }

    private static String decapitalize(String s) {
        return s.length() > 1 && Character.isUpperCase(s.charAt(1)) ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** For tests and the README: the names a rule may call on a value. */
    Set<String> instanceMethods() {
        return instanceMethods;
    }
}
