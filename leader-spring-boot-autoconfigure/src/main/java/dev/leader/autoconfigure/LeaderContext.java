package dev.leader.autoconfigure;

import java.util.Optional;
import dev.leader.election.Leadership;
import org.jspecify.annotations.Nullable;

/**
 * The term under which the current {@link LeaderOnly} call runs: pass its fencing token to
 * downstream systems so that they can refuse a stale leader's writes.
 */
public final class LeaderContext {

    private static final ThreadLocal<@Nullable Leadership> CURRENT = new ThreadLocal<>();

    private LeaderContext() {
    }

    /** The term of the innermost guarded call on this thread, empty outside one. */
    public static Optional<Leadership> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    static @Nullable Leadership enter(Leadership leadership) {
        Leadership previous = CURRENT.get();
        CURRENT.set(leadership);
        return previous;
    }

    static void restore(@Nullable Leadership previous) {
        if (previous == null) {
            CURRENT.remove();
        }
        else {
            CURRENT.set(previous);
        }
    }
}
