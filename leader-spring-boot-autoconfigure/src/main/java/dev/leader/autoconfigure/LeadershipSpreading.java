package dev.leader.autoconfigure;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.leader.election.DaemonThreads;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import dev.leader.spring.ElectionCustomizer;
import dev.leader.spring.ElectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Spreads leadership over the instances ({@code leader.spread.instances}): an instance that leads
 * more than its fair share of the application's elections (the elections divided by the
 * instances, plus a slack of a tenth, at least one) yields the excess, a tenth of its share a
 * second (at least one), so that instances leading fewer take them over, each within a hand-off.
 * A tenth keeps the elections in flight few enough that the next tick sees the result of the last
 * one (no instance drops far below its share and takes back), and yet spreads 1,000 elections
 * over three instances in about ten ticks instead of one per election. It never yields a term
 * younger than {@link #SETTLE}, and an election that came back to it soon after it yielded it
 * (nobody else took it: the other instances are down or full) is kept for {@link #KEEP}, so
 * leadership does not flap when the expected instances are not all there.
 */
final class LeadershipSpreading implements ElectionCustomizer, SmartLifecycle {

    /** How often an instance over its share yields a batch of elections. */
    static final Duration TICK = Duration.ofSeconds(1);

    /** A term this young is not yielded: the instance that just got it may be over its share only for a moment. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    /** How long an election nobody else took is kept. */
    static final Duration KEEP = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(LeadershipSpreading.class);

    private final ObjectProvider<ElectionRegistry> registry;

    private final int instances;

    private final Map<String, Long> grantedAt = new ConcurrentHashMap<>();

    private final Map<String, Long> yieldedAt = new ConcurrentHashMap<>();

    private final Map<String, Long> keepUntil = new ConcurrentHashMap<>();

    private volatile ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.single("leader-spread"));

    private volatile boolean running;

    LeadershipSpreading(ObjectProvider<ElectionRegistry> registry, int instances) {
        this.registry = registry;
        this.instances = instances;
    }

    /** The elections one instance may lead: its fair share plus a slack of a tenth, at least one. */
    static int fairShare(int elections, int instances) {
        int share = (elections + instances - 1) / instances;
        return share + Math.max(1, share / 10);
    }

    @Override
    public void customize(Election election) {
        String name = election.name();
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                long now = System.nanoTime();
                Long yielded = yieldedAt.remove(name);
                if (yielded != null && now - yielded < SETTLE.toNanos()) {
                    keepUntil.put(name, now + KEEP.toNanos());
                }
                grantedAt.put(name, now);
            }

            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                grantedAt.remove(name);
            }
        });
    }

    @Override
    public void start() {
        if (ticker.isShutdown()) {
            ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.single("leader-spread"));
        }
        running = true;
        ticker.scheduleWithFixedDelay(this::tick, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void stop() {
        running = false;
        ticker.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** How many elections one tick yields: the excess, at most a tenth of the share, at least one. */
    static int batch(int leading, int share) {
        return Math.min(leading - share, Math.max(1, share / 10));
    }

    /** Yields the youngest settled terms an instance over its share holds, one {@link #batch} at most. */
    void tick() {
        try {
            Map<String, Election> elections = registry.getObject().elections();
            List<Election> leading = elections.values().stream().filter(Election::isLeader).toList();
            int share = fairShare(elections.size(), instances);
            if (leading.size() <= share) {
                return;
            }
            long now = System.nanoTime();
            List<Election> excess = leading.stream()
                    .filter(e -> now - grantedAt.getOrDefault(e.name(), now) >= SETTLE.toNanos())
                    .filter(e -> keepUntil.getOrDefault(e.name(), now) - now <= 0)
                    .sorted(Comparator.comparingLong((Election e) -> grantedAt.getOrDefault(e.name(), now)).reversed())
                    .limit(batch(leading.size(), share))
                    .toList();
            if (excess.isEmpty()) {
                return;
            }
            log.info("[id={}] leading {} of {} elections, above a fair share of {} among {} instances: yielding {}",
                    excess.get(0).candidateId(), leading.size(), elections.size(), share, instances,
                    excess.size() == 1 ? excess.get(0).name() : excess.size() + " of them");
            excess.forEach(Election::stopAdmitting);
            for (Election election : excess) {
                yieldedAt.put(election.name(), System.nanoTime());
                election.yieldLeadership();
            }
        }
        catch (RuntimeException ex) {
            log.warn("spreading leadership failed; trying again in {}", TICK, ex);
        }
    }
}
