package dev.leader.local;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.leader.election.AbstractElection;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.jspecify.annotations.Nullable;

/**
 * A candidate of the local backend. The OS lock does not expire while this process lives, so
 * the lease is unbounded; it ends when the process releases it or dies, or when the lock is
 * lost under it (the file deleted or replaced, its directory unmounted): then the term is
 * revoked and the candidate queues again.
 */
final class LocalElection extends AbstractElection {

    /**
     * After yielding, a candidate waits this long before queueing again, so that a waiter in
     * another process (woken by the kernel within microseconds) takes the lock first.
     */
    static final Duration YIELD_PAUSE = Duration.ofMillis(250);

    /**
     * How often a leader checks that it still holds its lock, for when no file event and no
     * guarded call tells it (no inotify, a leader that only listens).
     */
    static final Duration HOLD_CHECK = Duration.ofSeconds(1);

    /**
     * How long a {@code stat} that found the lock file in place lets its holder believe without
     * another; a candidate that locks a file its last holder did not release (a new file, a
     * crashed holder, a file deleted or replaced under its holder) waits this long before it
     * believes, so that the two never believe at once. See the package documentation.
     */
    static final Duration STAT_VALIDITY = Duration.ofMillis(10);

    private static final long STAT_VALIDITY_NANOS = STAT_VALIDITY.toNanos();

    private final LockFile file;

    private final ScheduledExecutorService scheduler;

    private final AtomicBoolean verifying = new AtomicBoolean();

    private volatile @Nullable ScheduledFuture<?> holdCheck;

    /** Until when ({@code System.nanoTime()}) the last {@code stat} that found our file in place lets us believe. */
    private volatile long statValidUntil = System.nanoTime();

    LocalElection(String name, String candidateId, LockFile file, ScheduledExecutorService scheduler) {
        super(name, candidateId, LeaseDeadline.unbounded());
        this.file = file;
        this.scheduler = scheduler;
    }

    @Override
    protected void onStart() {
        file.join(this);
    }

    @Override
    protected void onYield(Leadership term) {
        stopHoldCheck();
        file.release(this);
        // The join itself checks that we still campaign, under the monitor a withdrawal's release takes.
        schedule(() -> {
            trace("yield: pause over, joining");
            file.join(this);
        }, YIELD_PAUSE);
    }

    /** Out of the queue and off the lock; still a member, so the file's changes still name the holder. */
    @Override
    protected void onWithdraw(@Nullable Leadership held) {
        stopHoldCheck();
        file.release(this);
    }

    @Override
    protected void onRejoin() {
        file.join(this);
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
        stopHoldCheck();
        file.leave(this);
    }

    /**
     * Runs on every guarded call: whether we hold the lock, and, at most once per
     * {@link #STAT_VALIDITY}, one {@code stat} that the path still names our file (see
     * {@link LockFile#isHeldBy}). The time is read before the {@code stat}: it found the file in
     * place at some moment after it.
     */
    @Override
    protected boolean stillHeld() {
        long now = System.nanoTime();
        if (now - statValidUntil < 0 && file.holdsLock(this)) {
            return true;
        }
        if (file.isHeldBy(this)) {
            statValidUntil = now + STAT_VALIDITY_NANOS;
            return true;
        }
        // Belief ends here; the revoke, on another thread, tells the listeners and campaigns again.
        if (verifying.compareAndSet(false, true)) {
            schedule(() -> {
                verifying.set(false);
                file.verify(this);
            }, Duration.ZERO);
        }
        return false;
    }

    /** Whether it campaigns (neither withdrawn nor closed), for the lock file. */
    boolean campaigning() {
        return isCampaigning();
    }

    /** A step of a hand-off, for the lock file: see {@link #trace(String)}. */
    void handoffStep(String step) {
        trace(step);
    }

    /**
     * Called by the lock file, under its monitor, once the OS lock and the token are ours.
     *
     * @param unreleased whether the last holder did not write its release: it may believe for
     *        up to {@link #STAT_VALIDITY} yet, so the grant waits that long
     */
    void lockAcquired(long fencingToken, boolean unreleased) {
        trace("lock: token written");
        if (!isCampaigning()) {
            // Withdrawn (or closed) while queued: the withdrawal's release hands the lock on.
            return;
        }
        statValidUntil = System.nanoTime(); // the first guarded call of the term looks
        if (unreleased) {
            log.debug("{} the last holder did not release the lock file; believing in {} ms, once it no longer can",
                    logPrefix, STAT_VALIDITY.toMillis());
            schedule(() -> file.grantHeld(this, fencingToken), STAT_VALIDITY);
            return;
        }
        if (grant(fencingToken, System.nanoTime())) {
            stopHoldCheck();
            try {
                holdCheck = scheduler.scheduleWithFixedDelay(() -> file.verify(this), HOLD_CHECK.toNanos(),
                        HOLD_CHECK.toNanos(), TimeUnit.NANOSECONDS);
            }
            catch (RejectedExecutionException ex) {
                log.debug("{} no hold check: the backend is closed", logPrefix);
            }
        }
    }

    /** Called by the lock file, under its monitor, when the lock it held for us is gone. */
    void lockLost() {
        stopHoldCheck();
        statValidUntil = System.nanoTime();
        if (revokeCurrent(RevokeReason.RELEASED, ElectionState.FOLLOWER)) {
            log.warn("{} lost its lock file; campaigning again", logPrefix);
        }
        file.join(this); // only if we still campaign
    }

    void holderSeen(@Nullable String holder) {
        follow(holder);
    }

    private void stopHoldCheck() {
        ScheduledFuture<?> check = holdCheck;
        holdCheck = null;
        if (check != null) {
            check.cancel(false);
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            log.debug("{} not scheduled: the backend is closed", logPrefix);
        }
    }
}
