package dev.bouncedoctor.mail;

import java.util.function.Supplier;

/**
 * A value computed when first asked for, then kept (a null one too): the parts of a mail that cost something to work out
 * (the text for people, the Date header, what that text says about each recipient) are often never needed.
 */
final class Once<T> implements Supplier<T> {
    private Supplier<T> compute;
    private T value;

    Once(Supplier<T> compute) {
        this.compute = compute;
    }

    @Override
    public T get() {
        if (compute != null) {
            value = compute.get();
            compute = null;
        }
        return value;
    }
}
