package dev.leader.fault.app;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Leader-only work that outlives its call: the method returns at once and its work completes
 * {@code fault.async.work} later on another thread. The guard holds the term for the life of the
 * returned future, so a yield or graceful stop waits for the work before leadership moves; the
 * run spans the call to the future's completion. {@link AsyncTicker} calls it once a second.
 */
@Component
class AsyncJob implements DisposableBean {

    private final long workMillis;

    private final ElectionRegistry registry;

    private final CheckerReport report;

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "async-job");
        thread.setDaemon(true);
        return thread;
    });

    AsyncJob(@Value("${fault.async.work:300ms}") Duration work, ElectionRegistry registry, CheckerReport report) {
        this.workMillis = work.toMillis();
        this.registry = registry;
        this.report = report;
    }

    @LeaderOnly
    CompletableFuture<Void> run() {
        long start = System.nanoTime();
        Leadership term = LeaderContext.current().orElseThrow();
        CompletableFuture<Void> done = new CompletableFuture<>();
        worker.schedule(() -> {
            try {
                boolean committed = Terms.stillHeld(registry, term);
                report.work("async", term, start, System.nanoTime(), committed);
                done.complete(null);
            }
            catch (RuntimeException ex) {
                done.completeExceptionally(ex);
            }
        }, workMillis, TimeUnit.MILLISECONDS);
        return done;
    }

    @Override
    public void destroy() {
        // Leadership was released before beans are destroyed, after the futures completed.
        worker.shutdownNow();
    }
}
