package dev.leader.spring;

import java.util.Optional;
import dev.leader.election.Leadership;
import org.jspecify.annotations.Nullable;

/**
 * The term under which the current {@link LeaderOnly} call runs: pass its fencing token to
 * downstream systems so that they can refuse a stale leader's writes.
 * <p>
 * It is bound to the calling thread for the synchronous part of the call. Code that continues
 * elsewhere (a {@code CompletableFuture} stage on another thread) should read it at the start of
 * the method and carry the value; in a {@code Mono} or {@code Flux} the term is also in the
 * Reactor context under the key {@code Leadership.class}.
 */
public final class LeaderContext {

    private static final ThreadLocal<@Nullable Leadership> CURRENT = new ThreadLocal<>();

    private LeaderContext() {
    }

    /** The term of the innermost guarded call on this thread, empty outside one. */
    public static Optional<Leadership> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Makes {@code leadership} the current term of this thread until the scope is closed, for
     * work admitted by hand ({@code Election.admit()}) that calls code reading
     * {@link #current()}. Scopes nest: closing one restores the term before it.
     */
    public static Scope open(Leadership leadership) {
        Leadership previous = CURRENT.get();
        CURRENT.set(leadership);
        return previous == null ? Scope.OUTERMOST : new Scope(previous);
    }

    /** Restores the term that was current before {@link #open(Leadership)}. */
    public static final class Scope implements AutoCloseable {

        /** The scope of a call that no other guarded call encloses: one for all, nothing to remember. */
        private static final Scope OUTERMOST = new Scope(null);

        private final @Nullable Leadership previous;

        private Scope(@Nullable Leadership previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            // set(null), not remove(): remove() drops the thread's map entry, and the next call's
            // set() allocates a new one; the entry holds no Leadership once cleared.
            CURRENT.set(previous);
        }
    }
}
