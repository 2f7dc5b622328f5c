package dev.leader.autoconfigure.actuate;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import dev.leader.spring.ElectionCustomizer;
import dev.leader.autoconfigure.SkippedCallListener;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters per election: gauge {@code leader.active}, counters
 * {@code leader.transitions} and {@code leader.only.skipped}, timer {@code leader.acquire}
 * (campaign start, or the end of the last term, to the grant). The counters and the timer are
 * registered when they first count, not at start-up.
 * Tags never carry candidate ids, which would make one time series per process.
 */
public class LeaderMetrics implements ElectionCustomizer, SkippedCallListener {

    private final MeterRegistry registry;

    // A follower skips every scheduled call: look its counter up once, not per call.
    private final ConcurrentMap<String, Counter> skipped = new ConcurrentHashMap<>();

    public LeaderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void customize(Election election) {
        String name = election.name();
        Gauge.builder("leader.active", election, e -> e.isLeader() ? 1 : 0)
                .description("1 while this application leads the election")
                .tag("election", name).register(registry);
        long[] campaignStart = { System.nanoTime() };
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                Timer.builder("leader.acquire").description("Time from campaigning to being granted leadership")
                        .tag("election", name).register(registry)
                        .record(System.nanoTime() - campaignStart[0], TimeUnit.NANOSECONDS);
                transitions(name, "granted", "none").increment();
            }

            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                campaignStart[0] = System.nanoTime();
                transitions(name, "revoked", reason.name().toLowerCase(java.util.Locale.ROOT)).increment();
            }
        });
    }

    @Override
    public void skipped(String election) {
        // get() first: computeIfAbsent's capturing lambda would be a new object on every skipped call.
        Counter counter = skipped.get(election);
        if (counter == null) {
            counter = skipped.computeIfAbsent(election, name -> Counter.builder("leader.only.skipped")
                    .description("@LeaderOnly calls not run because this application did not lead")
                    .tag("election", name).register(registry));
        }
        counter.increment();
    }

    private Counter transitions(String election, String type, String reason) {
        return Counter.builder("leader.transitions").description("Leadership grants and revocations")
                .tag("election", election).tag("type", type).tag("reason", reason).register(registry);
    }
}
