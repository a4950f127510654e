package dev.bouncedoctor.engine.policy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The type names one DRL file can use: what it imports (only allowed types get this far), the fact types it
 * declares, and the {@code java.lang} types every Java file sees without an import, filtered by {@link AllowedApi}.
 *
 * @param imports simple name → imported class
 * @param declared simple name of a type declared in DRL → its field names
 * @param packageName the DRL package, which qualifies its declared types
 */
record TypeScope(Map<String, Class<?>> imports, Map<String, Set<String>> declared, String packageName) {

    /** A type a name denotes: {@code type} is null for a type declared in DRL. */
    record Resolved(Class<?> type, String name) {
    }

    /** A simple or qualified name as a type, if it is one rules may use. */
    Optional<Resolved> resolve(String name) {
        if (name.indexOf('.') >= 0) {
            return resolveQualified(name);
        }
        Class<?> imported = imports.get(name);
        if (imported != null) {
            return Optional.of(new Resolved(imported, imported.getCanonicalName()));
        }
        if (declared.containsKey(name)) {
            return Optional.of(new Resolved(null, name));
        }
        return AllowedApi.get().implicitType(name).map(c -> new Resolved(c, c.getCanonicalName()));
    }

    /** A dotted name: fully qualified, or a nested type of a type in scope ({@code Map.Entry}). */
    Optional<Resolved> resolveQualified(String qualified) {
        Optional<Class<?>> direct = AllowedApi.get().type(qualified);
        if (direct.isPresent()) {
            return direct.map(c -> new Resolved(c, c.getCanonicalName()));
        }
        if (packageName != null && qualified.startsWith(packageName + ".")) {
            String simple = qualified.substring(packageName.length() + 1);
            if (declared.containsKey(simple)) {
                return Optional.of(new Resolved(null, simple));
            }
        }
        int dot = qualified.indexOf('.');
        if (dot > 0) {
            Optional<Resolved> outer = resolve(qualified.substring(0, dot));
            if (outer.isPresent() && outer.get().type() != null) {
                return AllowedApi.get().type(outer.get().type().getCanonicalName() + qualified.substring(dot))
                        .map(c -> new Resolved(c, c.getCanonicalName()));
            }
        }
        return Optional.empty();
    }

    /** Whether a method is the getter or setter of a field of a type declared in DRL ({@code getPath}, {@code setPath}). */
    boolean declaredAccessor(String method) {
        for (String prefix : new String[] {"get", "set", "is"}) {
            if (method.length() > prefix.length() && method.startsWith(prefix)) {
                String field = method.substring(prefix.length());
                if (declaredField(Character.toLowerCase(field.charAt(0)) + field.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether some type declared in DRL has this field (read as {@code $x.field}). */
    boolean declaredField(String name) {
        return declared.values().stream().anyMatch(fields -> fields.contains(name));
    }
}
