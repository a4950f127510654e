package dev.bouncedoctor.security;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.quarkus.test.junit.callback.QuarkusTestAfterEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code @QuarkusTest} sends the test suite's key (every role; {@code %test.security.bootstrap-key})
 * unless its class is annotated {@link OwnCredentials}, so that the tests written before the API
 * needed credentials keep testing what they tested. Registered for all Quarkus tests through
 * META-INF/services; it runs in the class loader of the test instance, where its RestAssured lives.
 */
public class TestKey implements QuarkusTestBeforeEachCallback, QuarkusTestAfterEachCallback {

    /** The same value as {@code %test.security.bootstrap-key} in application.properties. */
    public static final String KEY = "bdk_test-key-for-the-test-suite-only-never-use-it-0000";

    /** A test class that sends its own credentials, or none: no key is added to its requests. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    public @interface OwnCredentials {
    }

    /** Adds the key to a request that carries no credentials of its own (a filter, not a request specification, which would pin the port). */
    private static final Filter SEND_KEY = (request, response, next) -> {
        if (!request.getHeaders().hasHeaderWithName("X-API-Key") && !request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("X-API-Key", KEY);
        }
        return next.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        sendKey(!context.getTestInstance().getClass().isAnnotationPresent(OwnCredentials.class));
    }

    @Override
    public void afterEach(QuarkusTestMethodContext context) {
        sendKey(false);
    }

    private static void sendKey(boolean send) {
        List<Filter> filters = new ArrayList<>(RestAssured.filters());
        filters.remove(SEND_KEY);
        if (send) {
            filters.add(SEND_KEY);
        }
        RestAssured.replaceFiltersWith(filters);
    }
}
