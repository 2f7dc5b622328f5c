package dev.leader.fault.app;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderOnly;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A leader-only lifecycle: started when this instance is granted the election, stopped on
 * revoke, yield and shutdown before leadership is released. While it runs, a thread of its own
 * does a unit of work ({@code fault.lifecycle.work}) every {@code fault.lifecycle.period}, each
 * reported like a job run. A stop lets the unit in progress finish (a graceful stop cuts no
 * work) and starts no new one.
 */
@LeaderOnly
@Component
class LeaderOnlyWorker implements SmartLifecycle {

    /** One start-to-stop span: the term it started in and the signal that ends it. */
    private record Span(Leadership term, CountDownLatch stop, Thread thread) {
    }

    private final long workMillis;

    private final long periodMillis;

    private final ElectionRegistry registry;

    private final CheckerReport report;

    private final AtomicReference<@Nullable Span> running = new AtomicReference<>();

    LeaderOnlyWorker(@Value("${fault.lifecycle.work:100ms}") Duration work,
            @Value("${fault.lifecycle.period:250ms}") Duration period, ElectionRegistry registry, CheckerReport report) {
        this.workMillis = work.toMillis();
        this.periodMillis = period.toMillis();
        this.registry = registry;
        this.report = report;
    }

    @Override
    public void start() {
        // Started by the binding right after the grant: the current term is the one started in.
        Leadership term = registry.defaultElection().leadership().orElse(null);
        if (term == null) {
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread thread = new Thread(() -> work(term, stop), "leader-only-worker");
        thread.setDaemon(true);
        if (running.compareAndSet(null, new Span(term, stop, thread))) {
            thread.start();
        }
    }

    private void work(Leadership term, CountDownLatch stop) {
        try {
            while (stop.getCount() > 0) {
                long start = System.nanoTime();
                // Not interruptible by a stop: the unit finishes, then the loop ends.
                Thread.sleep(workMillis);
                report.work("lifecycle", term, start, System.nanoTime(), Terms.stillHeld(registry, term));
                long next = start + TimeUnit.MILLISECONDS.toNanos(periodMillis);
                stop.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        Span span = running.getAndSet(null);
        if (span == null) {
            return;
        }
        span.stop().countDown();
        try {
            span.thread().join();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop(Runnable callback) {
        stop();
        callback.run();
    }

    @Override
    public boolean isRunning() {
        return running.get() != null;
    }
}
