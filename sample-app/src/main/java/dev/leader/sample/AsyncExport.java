package dev.leader.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Leader-only work that outlives its call: {@link #export()} returns at once and its work
 * completes {@code sample.async.work} later on another thread. {@code @LeaderOnly} guards the
 * returned future for its whole life, so a yield or a graceful shutdown waits for the work to
 * complete before leadership moves. {@link AsyncExportSchedule} calls it once a second.
 */
@Component
class AsyncExport {

    private static final Logger log = LoggerFactory.getLogger(AsyncExport.class);

    private final Executor afterWork;

    private final ElectionRegistry registry;

    AsyncExport(@Value("${sample.async.work:300ms}") Duration work, ElectionRegistry registry) {
        this.afterWork = CompletableFuture.delayedExecutor(work.toMillis(), TimeUnit.MILLISECONDS);
        this.registry = registry;
    }

    @LeaderOnly
    CompletableFuture<Void> export() {
        long start = System.nanoTime();
        Leadership term = LeaderContext.current().orElseThrow();
        log.info("async started candidate={} token={} start={}", term.candidateId(), term.fencingToken(), start);
        return CompletableFuture.runAsync(() -> {
            String outcome = ReportJob.stillLeads(registry, term) ? "ran" : "abandoned";
            log.info("async {} candidate={} token={} start={} end={}", outcome, term.candidateId(), term.fencingToken(),
                    start, System.nanoTime());
        }, afterWork);
    }
}
