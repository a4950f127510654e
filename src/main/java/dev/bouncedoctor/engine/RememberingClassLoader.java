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

    /**
     * Asked outside any lock of the maps (two threads may ask the same name at once; both get the same answer). A
     * miss is kept only when it is an answer: not when the thread was interrupted while asking (a validation past
     * its time is), since an interrupted read of a jar can fail for a class that exists.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        Optional<Class<?>> known = classes.get(name);
        if (known != null) {
            return known.orElseThrow(() -> new ClassNotFoundException(name));
        }
        try {
            Class<?> found = application.loadClass(name);
            classes.putIfAbsent(name, Optional.of(found));
            return found;
        } catch (ClassNotFoundException e) {
            if (!Thread.currentThread().isInterrupted()) {
                classes.putIfAbsent(name, Optional.empty());
            }
            throw e;
        }
    }

    @Override
    public URL getResource(String name) {
        Optional<URL> known = resources.get(name);
        if (known != null) {
            return known.orElse(null);
        }
        URL found = application.getResource(name);
        if (found != null || !Thread.currentThread().isInterrupted()) {
            resources.putIfAbsent(name, Optional.ofNullable(found));
        }
        return found;
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
