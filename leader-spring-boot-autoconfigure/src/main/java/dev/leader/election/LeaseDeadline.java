package dev.leader.election;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The instant, on the monotonic clock, after which a leader must stop believing: the send time
 * of the last confirmed renewal + lease - safety margin. Measuring from the send time (not the
 * reply time) means a slow reply can only shorten our belief, never stretch it past the
 * server's own expiry.
 */
public final class LeaseDeadline {

    /** The lease every backend uses unless told otherwise ({@code leader.lease-duration}). */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

    /** What {@link Election#leaseRemaining()} reports for a lease that never expires. */
    public static final Duration UNBOUNDED = Duration.ofDays(365 * 100L);

    private final long leaseNanos;

    private final long marginNanos;

    private final LongSupplier nanoClock;

    private final boolean unbounded;

    // Written under the lock, read without it: isLeader() sits on every guarded call's path.
    private volatile long deadlineNanos;

    private volatile boolean armed;

    private LeaseDeadline(Duration lease, Duration margin, LongSupplier nanoClock, boolean unbounded) {
        if (!unbounded && (lease.isNegative() || lease.isZero())) {
            throw new IllegalArgumentException("lease must be positive: " + lease);
        }
        if (!unbounded && (margin.isNegative() || margin.compareTo(lease) >= 0)) {
            throw new IllegalArgumentException("margin must be in [0, lease): " + margin);
        }
        this.leaseNanos = lease.toNanos();
        this.marginNanos = margin.toNanos();
        this.nanoClock = nanoClock;
        this.unbounded = unbounded;
    }

    /** A deadline for {@code lease} that stops believing {@code margin} early. */
    public static LeaseDeadline of(Duration lease, Duration margin) {
        return new LeaseDeadline(lease, margin, System::nanoTime, false);
    }

    /** As {@link #of(Duration, Duration)}, on a clock a test controls. */
    public static LeaseDeadline of(Duration lease, Duration margin, LongSupplier nanoClock) {
        return new LeaseDeadline(lease, margin, nanoClock, false);
    }

    /**
     * The default margin: a tenth of the lease, at least 1 ms, covering clock-rate drift
     * between this host and the server and the scheduling delay of the expiry watchdog.
     */
    public static Duration defaultMargin(Duration lease) {
        Duration tenth = lease.dividedBy(10);
        return tenth.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : tenth;
    }

    /** A lease held for as long as the process holds it (an OS file lock). */
    public static LeaseDeadline unbounded() {
        return new LeaseDeadline(Duration.ZERO, Duration.ZERO, System::nanoTime, true);
    }

    /**
     * Records that a renewal sent at {@code sendNanos} was confirmed. A confirmation that
     * arrives out of order never moves the deadline back, and one that arrives after the
     * deadline passed does not revive the term: from that moment another candidate may have
     * been granted, so a leader that was paused or cut off past it must end its term and win a
     * new one (found by the fault suite: a LAN leader woken from SIGSTOP renewed from the
     * heartbeats buffered while it slept and believed again next to its successor).
     *
     * @return the deadline now in force
     */
    public synchronized long confirm(long sendNanos) {
        if (armed && !unbounded && deadlineNanos - nanoClock.getAsLong() <= 0) {
            return deadlineNanos;
        }
        long candidate = sendNanos + leaseNanos - marginNanos;
        if (!armed || candidate - deadlineNanos > 0) {
            deadlineNanos = candidate;
        }
        armed = true;
        return deadlineNanos;
    }

    /**
     * Arms the deadline of a new term from {@code sendNanos}, whatever an earlier term left
     * behind.
     */
    public synchronized void start(long sendNanos) {
        deadlineNanos = sendNanos + leaseNanos - marginNanos;
        armed = true;
    }

    /**
     * Whether a term confirmed by a request sent at {@code sendNanos} would still have at least
     * half of its belief (lease - margin) ahead: a grant on an older proof would expire almost
     * at once, or already has.
     */
    public boolean comfortablyAhead(long sendNanos) {
        long belief = leaseNanos - marginNanos;
        return sendNanos + belief - nanoClock.getAsLong() >= belief / 2;
    }

    /**
     * Whether less than a third of the belief (lease - margin) is left: renewals sent on time
     * (every third of the lease) and answered promptly never let it get this short, so the ones
     * that should have confirmed the term by now came late.
     */
    public boolean isRunningLate() {
        if (!armed || unbounded) {
            return false;
        }
        return deadlineNanos - nanoClock.getAsLong() < (leaseNanos - marginNanos) / 3;
    }

    /** Forgets the term: {@link #isValid()} is false until the next {@link #confirm(long)}. */
    public synchronized void clear() {
        armed = false;
    }

    public boolean isValid() {
        return armed && (unbounded || deadlineNanos - nanoClock.getAsLong() > 0);
    }

    /** Time left, zero once passed or when not armed. */
    public Duration remaining() {
        if (!armed) {
            return Duration.ZERO;
        }
        if (unbounded) {
            return UNBOUNDED;
        }
        long left = deadlineNanos - nanoClock.getAsLong();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** The deadline on the {@link System#nanoTime()} scale; meaningful only while valid. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    public boolean isUnbounded() {
        return unbounded;
    }

    public Duration lease() {
        return Duration.ofNanos(leaseNanos);
    }
}
