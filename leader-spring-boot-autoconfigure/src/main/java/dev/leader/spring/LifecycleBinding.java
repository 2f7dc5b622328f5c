package dev.leader.spring;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import dev.leader.election.AbstractElection;
import dev.leader.election.Admission;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one lifecycle while this application leads one election. A running lifecycle holds an
 * {@link Admission} of its term, so a voluntary release (yield, shutdown) stops it and waits for
 * its stop before releasing; an involuntary end of the term (a lost lease) stops it as soon as
 * the revoke is heard.
 */
final class LifecycleBinding implements ElectionListener {

    private static final Logger log = LoggerFactory.getLogger(LifecycleBinding.class);

    private final Election election;

    private final Lifecycle lifecycle;

    private final Duration stopTimeout;

    private final String logPrefix;

    // Guarded by this: the admission of the running lifecycle's term, null while stopped.
    private @Nullable Admission running;

    private boolean unbound;

    LifecycleBinding(Election election, Lifecycle lifecycle, Duration stopTimeout) {
        this.election = election;
        this.lifecycle = lifecycle;
        this.stopTimeout = stopTimeout;
        this.logPrefix = AbstractElection.logPrefix(election.name(), election.candidateId());
    }

    /** Starts the lifecycle at once if the election is already led here. */
    void bindNow() {
        election.leadership().ifPresent(this::granted);
    }

    @Override
    public void granted(Leadership leadership) {
        Admission admission;
        synchronized (this) {
            if (unbound || running != null) {
                return;
            }
            Optional<Admission> admitted = election.admit();
            if (admitted.isEmpty() || admitted.get().leadership() != leadership) {
                admitted.ifPresent(Admission::close);
                return;
            }
            admission = admitted.get();
            running = admission;
        }
        admission.onRelease(() -> stop(admission));
        try {
            log.info("{} starting {} for term {}", logPrefix, lifecycle, leadership.fencingToken());
            lifecycle.start();
        }
        catch (RuntimeException ex) {
            log.warn("{} {} failed to start", logPrefix, lifecycle, ex);
            stop(admission);
        }
    }

    @Override
    public void revoked(Leadership leadership, RevokeReason reason) {
        Admission admission;
        synchronized (this) {
            admission = running;
        }
        if (admission != null && admission.leadership() == leadership) {
            stop(admission);
        }
    }

    void unbind() {
        Admission admission;
        synchronized (this) {
            unbound = true;
            admission = running;
        }
        if (admission != null) {
            stop(admission);
        }
    }

    /** Stops the lifecycle started under {@code admission} (once), then closes the admission. */
    private void stop(Admission admission) {
        synchronized (this) {
            if (running != admission) {
                return;
            }
            running = null;
        }
        try {
            log.info("{} stopping {}", logPrefix, lifecycle);
            stopAndWait();
        }
        catch (RuntimeException ex) {
            log.warn("{} {} failed to stop", logPrefix, lifecycle, ex);
        }
        finally {
            admission.close();
        }
    }

    private void stopAndWait() {
        if (!(lifecycle instanceof SmartLifecycle smart)) {
            lifecycle.stop();
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        smart.stop(stopped::countDown);
        try {
            if (!stopped.await(stopTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("{} {} did not finish stopping within {}", logPrefix, lifecycle, stopTimeout);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
