package dev.leader.sample;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderOnly;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A lifecycle that may only run on the leader, the way a queue consumer would: {@code @LeaderOnly}
 * starts it when this instance is granted the election and stops it on revoke, yield and shutdown,
 * before leadership is released. While it runs, a thread of its own polls every
 * {@code sample.poller.period}, each poll taking {@code sample.poller.work}; a stop lets the poll in
 * progress finish.
 */
@LeaderOnly
@Component
class LeaderOnlyPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaderOnlyPoller.class);

    private record Running(Leadership term, CountDownLatch stop, Thread thread) {
    }

    private final long workMillis;

    private final long periodMillis;

    private final ElectionRegistry registry;

    private final AtomicReference<@Nullable Running> running = new AtomicReference<>();

    LeaderOnlyPoller(@Value("${sample.poller.work:100ms}") Duration work, @Value("${sample.poller.period:250ms}") Duration period,
            ElectionRegistry registry) {
        this.workMillis = work.toMillis();
        this.periodMillis = period.toMillis();
        this.registry = registry;
    }

    @Override
    public void start() {
        // Started right after the grant: the current term is the one it runs in.
        Leadership term = registry.defaultElection().leadership().orElse(null);
        if (term == null) {
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread thread = new Thread(() -> poll(term, stop), "leader-only-poller");
        thread.setDaemon(true);
        if (running.compareAndSet(null, new Running(term, stop, thread))) {
            log.info("poller started candidate={} token={} at={}", term.candidateId(), term.fencingToken(), System.nanoTime());
            thread.start();
        }
    }

    private void poll(Leadership term, CountDownLatch stop) {
        try {
            while (stop.getCount() > 0) {
                long start = System.nanoTime();
                // Stands in for a poll and its processing; a stop does not interrupt it.
                Thread.sleep(workMillis);
                String outcome = ReportJob.stillLeads(registry, term) ? "ran" : "abandoned";
                log.info("poller {} candidate={} token={} start={} end={}", outcome, term.candidateId(), term.fencingToken(),
                        start, System.nanoTime());
                stop.await(Math.max(0, start + TimeUnit.MILLISECONDS.toNanos(periodMillis) - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        Running current = running.getAndSet(null);
        if (current == null) {
            return;
        }
        current.stop().countDown();
        try {
            current.thread().join();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        log.info("poller stopped candidate={} token={} at={}", current.term().candidateId(), current.term().fencingToken(),
                System.nanoTime());
    }

    @Override
    public boolean isRunning() {
        return running.get() != null;
    }
}
