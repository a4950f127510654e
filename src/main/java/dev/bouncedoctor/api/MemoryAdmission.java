package dev.bouncedoctor.api;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Admits requests by the memory their bodies will take: at most {@code capacity} bytes of bodies are worked on at once.
 * A request that does not fit waits up to {@code wait} for others to end, then is refused as busy; one larger than the
 * whole capacity runs alone rather than never. Counted in kilobytes, which a semaphore's int permits can hold.
 */
final class MemoryAdmission {

    /** Refused: the service is working on as much as its memory allows; the client may send it again shortly. */
    static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    private final int capacity;
    private final Semaphore free;
    private final Duration wait;

    MemoryAdmission(long bytes, Duration wait) {
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / 1024));
        this.free = new Semaphore(capacity, true);
        this.wait = wait;
    }

    void acquire(long bytes) {
        int permits = permits(bytes);
        try {
            if (!free.tryAcquire(permits, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Busy("the service is working on as many large requests as its memory holds and this one waited "
                        + wait.toSeconds() + " s; send it again in a few seconds, or send smaller batches");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted while waiting for memory");
        }
    }

    void release(long bytes) {
        free.release(permits(bytes));
    }

    int available() {
        return free.availablePermits();
    }

    private int permits(long bytes) {
        return (int) Math.min(capacity, Math.max(1, (bytes + 1023) / 1024));
    }
}
