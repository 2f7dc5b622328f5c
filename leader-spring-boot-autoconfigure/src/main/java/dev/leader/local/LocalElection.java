package dev.leader.local;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.leader.election.AbstractElection;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import org.jspecify.annotations.Nullable;

/**
 * A candidate of the local backend. The OS lock does not expire while this process lives, so
 * the lease is unbounded; it ends when the process releases it or dies.
 */
final class LocalElection extends AbstractElection {

    /**
     * After yielding, a candidate waits this long before queueing again, so that a waiter in
     * another process (woken by the kernel within microseconds) takes the lock first.
     */
    static final Duration YIELD_PAUSE = Duration.ofMillis(250);

    private final LockFile file;

    private final ScheduledExecutorService scheduler;

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
        file.release(this);
        scheduler.schedule(() -> {
            if (!isClosed()) {
                file.join(this);
            }
        }, YIELD_PAUSE.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void onClose(@Nullable Leadership held) {
        file.leave(this);
    }

    @Override
    protected boolean stillHeld() {
        return file.isHeldBy(this);
    }

    /** Called by the lock file, under its monitor, once the OS lock and the token are ours. */
    void lockAcquired(long fencingToken) {
        grant(fencingToken, System.nanoTime());
    }

    void holderSeen(@Nullable String holder) {
        follow(holder);
    }
}
