package dev.leader.fault.app;

import java.time.Duration;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A job every instance schedules once a second and only the leader runs; each run reports its
 * term's fencing token and its start and end on the monotonic clock. The work holds the
 * scheduler's thread for {@code fault.job.work}, so a graceful stop has a run to wait for.
 */
@Component
class ScheduledJob {

    private final long workMillis;

    private final ElectionRegistry registry;

    private final CheckerReport report;

    ScheduledJob(@Value("${fault.job.work:200ms}") Duration work, ElectionRegistry registry, CheckerReport report) {
        this.workMillis = work.toMillis();
        this.registry = registry;
        this.report = report;
    }

    @LeaderOnly
    @Scheduled(fixedRate = 1000)
    void run() throws InterruptedException {
        runOnce(workMillis, registry, report);
    }

    /** One run of scheduled work in the caller's term, reported with whether the term still held at its end. */
    static void runOnce(long workMillis, ElectionRegistry registry, CheckerReport report) throws InterruptedException {
        long start = System.nanoTime();
        Leadership term = LeaderContext.current().orElseThrow();
        Thread.sleep(workMillis);
        boolean committed = Terms.stillHeld(registry, term);
        report.work("scheduled", term, start, System.nanoTime(), committed);
    }
}
