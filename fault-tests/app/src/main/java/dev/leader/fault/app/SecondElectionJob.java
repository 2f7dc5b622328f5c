package dev.leader.fault.app;

import java.time.Duration;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderOnly;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The scheduled job again, under a second election ({@code fault.second-election}, set by the
 * suite when it plans the two-elections fault): with two elections, two applications may each
 * lead one and wait for the other's, which is what that fault arranges. Its runs are reported
 * with their election, and checked per election.
 */
@Component
@ConditionalOnProperty("fault.second-election")
class SecondElectionJob {

    private final long workMillis;

    private final ElectionRegistry registry;

    private final CheckerReport report;

    SecondElectionJob(@Value("${fault.job.work:200ms}") Duration work, @Value("${fault.second-election}") String election,
            ElectionRegistry registry, CheckerReport report) {
        this.workMillis = work.toMillis();
        this.registry = registry;
        this.report = report;
        // Campaigns from the start, like the default election, not from the job's first call.
        registry.election(election);
    }

    @LeaderOnly("${fault.second-election}")
    @Scheduled(fixedRate = 1000)
    void run() throws InterruptedException {
        ScheduledJob.runOnce(workMillis, registry, report);
    }
}
