package dev.leader.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.leader.spring.ElectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * When the application campaigns, and the graceful end of its leadership. By default it
 * campaigns once the application is ready ({@link ReadinessState#ACCEPTING_TRAFFIC}), so a leader
 * is never an instance that cannot serve yet; with {@code leader.campaign=while-ready} it also
 * withdraws from every election while readiness is {@link ReadinessState#REFUSING_TRAFFIC}
 * (draining leader-only work on the thread that publishes the change) and campaigns again when
 * the application accepts traffic; with {@code leader.campaign=on-start}, or in a context that
 * never announces readiness (one not started by {@code SpringApplication}), it campaigns as soon
 * as the context is refreshed. Either way no listener misses the first grant. On shutdown it drains
 * leader-only work and releases leadership before the web server and the task schedulers stop
 * (a higher phase stops earlier).
 */
final class ElectionLifecycle implements SmartLifecycle, ApplicationListener<AvailabilityChangeEvent<?>> {

    /** After the web server starts (DEFAULT_PHASE - 1024), before it stops. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger log = LoggerFactory.getLogger(ElectionLifecycle.class);

    private final ElectionRegistry registry;

    private final LeaderOnlyBeanPostProcessor leaderOnly;

    private final boolean campaignOnReady;

    private final boolean withdrawWhenRefusing;

    private final Duration shutdownTimeout;

    private final List<AutoCloseable> bindings = new ArrayList<>();

    private volatile boolean running;

    /**
     * @param campaignOnReady wait for readiness before campaigning; only for a context that
     * announces it (one started by {@code SpringApplication})
     * @param withdrawWhenRefusing also withdraw while readiness is REFUSING_TRAFFIC; the same
     * condition
     */
    ElectionLifecycle(ElectionRegistry registry, LeaderOnlyBeanPostProcessor leaderOnly, boolean campaignOnReady,
            boolean withdrawWhenRefusing, Duration shutdownTimeout) {
        this.registry = registry;
        this.leaderOnly = leaderOnly;
        this.campaignOnReady = campaignOnReady;
        this.withdrawWhenRefusing = withdrawWhenRefusing;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        running = true;
        leaderOnly.names().forEach(registry::election);
        leaderOnly.lifecycles().forEach((lifecycle, election) -> bindings.add(registry.bind(election, lifecycle)));
        if (!campaignOnReady) {
            registry.start();
        }
    }

    /** Synchronized: a withdrawal (which may wait for leader-only work) ends before a return starts. */
    @Override
    public synchronized void onApplicationEvent(AvailabilityChangeEvent<?> event) {
        if (!running) {
            return;
        }
        if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && !registry.isRunning()) {
            log.debug("[id={}] the application is ready: campaigning", registry.candidateId());
            registry.start();
        }
        else if (event.getState() == ReadinessState.REFUSING_TRAFFIC && withdrawWhenRefusing && registry.isRunning()) {
            log.info("[id={}] the application refuses traffic: withdrawing from its elections until it accepts traffic again",
                    registry.candidateId());
            registry.withdraw(shutdownTimeout);
        }
    }

    @Override
    public void stop() {
        running = false;
        registry.stop(shutdownTimeout);
        for (AutoCloseable binding : bindings) {
            try {
                binding.close();
            }
            catch (Exception ex) {
                log.warn("[id={}] unbinding a leader-only lifecycle failed", registry.candidateId(), ex);
            }
        }
        bindings.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
