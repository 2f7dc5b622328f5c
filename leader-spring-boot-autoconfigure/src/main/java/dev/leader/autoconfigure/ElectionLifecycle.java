package dev.leader.autoconfigure;

import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Starts campaigning after the context is refreshed, so that no listener misses the first
 * grant, and on shutdown drains guarded calls and releases leadership before the web server
 * and the task schedulers stop (a higher phase stops earlier).
 */
final class ElectionLifecycle implements SmartLifecycle {

    /** After the web server starts (DEFAULT_PHASE - 1024), before it stops. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final ElectionRegistry registry;

    private final Duration shutdownTimeout;

    ElectionLifecycle(ElectionRegistry registry, Duration shutdownTimeout) {
        this.registry = registry;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        registry.start();
    }

    @Override
    public void stop() {
        registry.stop(shutdownTimeout);
    }

    @Override
    public boolean isRunning() {
        return registry.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
