package dev.bouncedoctor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bodies are admitted by the memory they take: large ones queue or are refused as busy, small ones pass beside them. */
class MemoryAdmissionTest {

    private static final long MB = 1024 * 1024;

    @Test
    void whatDoesNotFitIsRefusedAfterItsWaitAndSmallBodiesStillPass() {
        MemoryAdmission admission = new MemoryAdmission(20 * MB, Duration.ofMillis(50));
        admission.acquire(9 * MB);
        admission.acquire(9 * MB);
        MemoryAdmission.Busy busy = assertThrows(MemoryAdmission.Busy.class, () -> admission.acquire(9 * MB));
        assertTrue(busy.getMessage().contains("send it again"), busy.getMessage());
        admission.acquire(100 * 1024);
        admission.release(9 * MB);
        admission.acquire(9 * MB);
    }

    @Test
    void aWaitingRequestStartsWhenAnotherEnds() throws Exception {
        MemoryAdmission admission = new MemoryAdmission(10 * MB, Duration.ofSeconds(30));
        admission.acquire(8 * MB);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> admission.acquire(8 * MB));
        Thread.sleep(100);
        assertTrue(!waiting.isDone(), "it waits while the memory is taken");
        admission.release(8 * MB);
        waiting.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBodyLargerThanTheWholeCapacityRunsAloneRatherThanNever() {
        MemoryAdmission admission = new MemoryAdmission(4 * MB, Duration.ofMillis(50));
        admission.acquire(25 * MB);
        assertEquals(0, admission.available());
        assertThrows(MemoryAdmission.Busy.class, () -> admission.acquire(1));
        admission.release(25 * MB);
        assertEquals(4 * 1024, admission.available());
    }
}
