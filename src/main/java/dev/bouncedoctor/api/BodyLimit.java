package dev.bouncedoctor.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest body an endpoint reads, by name: {@code limits.body.<name>} in the configuration. An endpoint without
 * it takes {@code limits.body.default}. Enforced by {@link BodyLimits} before the body is read.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BodyLimit {
    String value();
}
