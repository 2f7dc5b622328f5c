package dev.leader.election;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with "equal jitter": attempt n waits a random time in
 * [d/2, d] where d = min(max, initial * 2^n). The jitter keeps a fleet that lost its backend at
 * the same moment from reconnecting in lockstep; the lower half keeps retries from bunching
 * at zero.
 */
public final class Backoff {

    private final Duration initial;

    private final Duration max;

    private int attempt;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
    }

    /** The default for reconnecting to a backend: 100 ms doubling up to 10 s. */
    public static Backoff forReconnect() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    /** The wait before the next attempt; each call counts one more failed attempt. */
    public synchronized Duration next() {
        long ceiling = ceilingNanos(attempt);
        if (attempt < 62) {
            attempt++;
        }
        long half = ceiling / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /** After a success: the next failure waits about {@code initial} again. */
    public synchronized void reset() {
        attempt = 0;
    }

    private long ceilingNanos(int n) {
        long base = initial.toNanos();
        long cap = max.toNanos();
        if (n >= 62 || base > (cap >> Math.min(n, 62))) {
            return cap;
        }
        return Math.min(cap, base << n);
    }
}
