package dev.leader.sample;

import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import dev.leader.election.Election;
import dev.leader.election.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A job every instance schedules and only the leader runs. Each run logs one line with the
 * term's fencing token and its start and end on the monotonic clock, so that runs of several
 * instances can be checked for overlap. A run whose term ended while it worked (a pause, a
 * partition) is abandoned, not committed: the job asks before it commits, the way any leader-only
 * work should, and downstream systems refuse stale fencing tokens for the rest.
 */
@Component
class ReportJob {

    private static final Logger log = LoggerFactory.getLogger(ReportJob.class);

    private final long workMillis;

    private final ElectionRegistry registry;

    ReportJob(@Value("${sample.job.work:200ms}") java.time.Duration work, ElectionRegistry registry) {
        this.workMillis = work.toMillis();
        this.registry = registry;
    }

    @LeaderOnly
    @Scheduled(fixedRate = 1000)
    void report() throws InterruptedException {
        long start = System.nanoTime();
        Leadership term = LeaderContext.current().orElseThrow();
        // Stands in for real work: a guarded call that takes a while, to show shutdown waits for it.
        Thread.sleep(workMillis);
        boolean stillLeading = stillLeads(registry, term);
        long end = System.nanoTime();
        String outcome = stillLeading ? "ran" : "abandoned";
        log.info("job {} candidate={} token={} start={} end={}", outcome, term.candidateId(), term.fencingToken(), start,
                end);
    }

    /**
     * Whether {@code term} still holds here: asked before leader-only work commits. The term is
     * read before {@code isLeader()}, so that a true answer vouches for it.
     */
    static boolean stillLeads(ElectionRegistry registry, Leadership term) {
        Election election = registry.election(term.election());
        return election.leadership().filter(l -> l.fencingToken() == term.fencingToken()).isPresent() && election.isLeader();
    }
}
