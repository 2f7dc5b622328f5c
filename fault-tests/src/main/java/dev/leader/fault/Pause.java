package dev.leader.fault;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The harness's own waits: a fault plan holds a fault for a while by design, and polls for
 * conditions with a bound. (The library's tests never sleep to wait for a condition; this is
 * the fault schedule itself.)
 */
final class Pause {

    private Pause() {
    }

    static void millis(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    /** Polls every 20 ms; true when the condition held before the timeout. */
    static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            millis(20);
        }
        return true;
    }
}
