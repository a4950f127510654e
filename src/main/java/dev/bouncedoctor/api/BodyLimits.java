package dev.bouncedoctor.api;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Each endpoint reads at most its own body size ({@link BodyLimit}), checked before the body is read: a declared
 * Content-Length over it is refused at once, and a chunked body is counted as it is read and refused at the byte that
 * passes the limit. Both answers are a 413 problem naming the limit. The HTTP server's own limit
 * ({@code quarkus.http.limits.max-body-size}) sits above all of these as a last guard, and answers with no body.
 */
public class BodyLimits {

    private final Config config;
    private final Map<Method, Limit> limits = new ConcurrentHashMap<>();

    record Limit(String name, long bytes) {
        String describe() {
            return "limits.body." + name + " (" + human(bytes) + ")";
        }
    }

    public BodyLimits(Config config) {
        this.config = config;
    }

    @ServerRequestFilter
    public void limitBody(ContainerRequestContext request, ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return;
        }
        Limit limit = limits.computeIfAbsent(resource.getResourceMethod(), this::limitOf);
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > limit.bytes()) {
                throw tooLarge(limit);
            }
        }
        request.setEntityStream(new Counted(request.getEntityStream(), limit));
    }

    private Limit limitOf(Method method) {
        BodyLimit annotation = method.getAnnotation(BodyLimit.class);
        String name = annotation == null ? "default" : annotation.value();
        return new Limit(name, config.getValue("limits.body." + name, MemorySize.class).asLongValue());
    }

    static RequestTooLargeException tooLarge(Limit limit) {
        return new RequestTooLargeException("body", "the body is larger than this endpoint reads, " + limit.describe()
                + "; send less per request");
    }

    private static String human(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    /** Counts what is read and refuses the byte past the limit: a chunked body says its size only at its end. */
    static final class Counted extends FilterInputStream {
        private final Limit limit;
        private long read;

        Counted(InputStream in, Limit limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > limit.bytes()) {
                throw tooLarge(limit);
            }
        }
    }
}
