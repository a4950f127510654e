package dev.bouncedoctor.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's class loader as the rule compiler sees it, remembering what it answered. Compiling the rules asks
 * for thousands of names that do not exist: MVEL tries each name as an inner class and Drools tries it under each
 * import, and the Java compiler probes for packages and types. Each miss walks every jar of the application (a
 * profile of a validation spent half its time opening jars for such misses), and a reload asks the same names again.
 * The application's classes do not change while it runs, so each answer, found or not, is kept; the classes Drools
 * generates for a rule set live in its own loader below this one and are never asked of it.
 */
final class RememberingClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader application;
    private final Map<String, Optional<Class<?>>> classes = new ConcurrentHashMap<>();
    private final Map<String, Optional<URL>> resources = new ConcurrentHashMap<>();

    RememberingClassLoader(ClassLoader application) {
        super(application);
        this.application = application;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        Optional<Class<?>> found = classes.computeIfAbsent(name, n -> {
            try {
                return Optional.of(application.loadClass(n));
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.empty();
            }
        });
        return found.orElseThrow(() -> new ClassNotFoundException(name));
    }

    @Override
    public URL getResource(String name) {
        return resources.computeIfAbsent(name, n -> Optional.ofNullable(application.getResource(n))).orElse(null);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        URL url = getResource(name);
        if (url == null) {
            return null;
        }
        try {
            return url.openStream();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return application.getResources(name);
    }
}
