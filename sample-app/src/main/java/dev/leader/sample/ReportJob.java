package dev.leader.sample;

import dev.leader.autoconfigure.LeaderContext;
import dev.leader.autoconfigure.LeaderOnly;
import dev.leader.election.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A job every instance schedules and only the leader runs. Each run logs one line with the
 * term's fencing token and its start and end on the monotonic clock, so that runs of several
 * instances can be checked for overlap.
 */
@Component
class ReportJob {

    private static final Logger log = LoggerFactory.getLogger(ReportJob.class);

    private final long workMillis;

    ReportJob(@Value("${sample.job.work:200ms}") java.time.Duration work) {
        this.workMillis = work.toMillis();
    }

    @LeaderOnly
    @Scheduled(fixedRate = 1000)
    void report() throws InterruptedException {
        long start = System.nanoTime();
        Leadership term = LeaderContext.current().orElseThrow();
        // Stands in for real work: a guarded call that takes a while, to show shutdown waits for it.
        Thread.sleep(workMillis);
        log.info("job ran candidate={} token={} start={} end={}", term.candidateId(), term.fencingToken(), start,
                System.nanoTime());
    }
}
