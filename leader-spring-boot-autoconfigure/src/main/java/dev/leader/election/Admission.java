package dev.leader.election;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * One piece of leader-only work admitted under a term by {@link Election#admit()}. While it is
 * open, a voluntary release of the term ({@link Election#yieldLeadership()},
 * {@link Election#close()}) waits for it; {@link #close()} it when the work ends, whatever its
 * outcome. Closing twice is harmless.
 */
public final class Admission implements AutoCloseable {

    private final Leadership leadership;

    private final WorkGate gate;

    private static final AtomicIntegerFieldUpdater<Admission> CLOSED = AtomicIntegerFieldUpdater.newUpdater(Admission.class,
            "closed");

    // 1 once closed; a field updater rather than an AtomicBoolean: one object per guarded call, not two.
    private volatile int closed;

    private volatile @Nullable Runnable onRelease;

    Admission(Leadership leadership, WorkGate gate) {
        this.leadership = leadership;
        this.gate = gate;
    }

    /** The term the work runs under; pass its fencing token downstream. */
    public Leadership leadership() {
        return leadership;
    }

    /**
     * What to do when the election is about to release this term voluntarily: end the work (a
     * consumer stops polling, a loop returns), then close this admission. Runs at most once, on
     * the thread that yields or closes, before it waits for open admissions; work that cannot be
     * told to stop needs no callback, the release still waits for it.
     */
    public void onRelease(Runnable stop) {
        onRelease = stop;
        gate.watch(this);
        if (closed == 1) {
            gate.unwatch(this);
        }
    }

    /** The work ended: a waiting release may proceed. */
    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            if (onRelease != null) {
                gate.unwatch(this);
            }
            gate.exit();
        }
    }

    boolean isClosed() {
        return closed == 1;
    }

    @Nullable Runnable releaseCallback() {
        return onRelease;
    }
}
