package dev.leader.fault.app;

import dev.leader.spring.ElectionRegistry;
import dev.leader.election.Election;
import dev.leader.election.Leadership;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Samples {@link Election#isLeader()} every few milliseconds and reports what this instance
 * believed and when, so that a checker can prove that no two instances believed at once, even
 * when one was paused (SIGSTOP) and learns of its lost lease only on waking. Reports when a
 * belief starts, at most every 100 ms while it lasts, and its last sample when it ends.
 */
@Component
class BeliefProbe implements DisposableBean {

    private static final long SAMPLE_MILLIS = 5;

    private static final long REPORT_EVERY_NANOS = 100_000_000L;

    private final ElectionRegistry registry;

    private final CheckerReport report;

    private volatile boolean running = true;

    BeliefProbe(ElectionRegistry registry, CheckerReport report) {
        this.registry = registry;
        this.report = report;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        Thread thread = new Thread(this::sample, "belief-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        Election election = registry.defaultElection();
        long token = -1;
        long lastTrue = 0;
        long lastReported = 0;
        while (running) {
            // Read the term before asking isLeader(): a true answer then vouches for this term.
            Optional<Leadership> term = election.leadership();
            boolean leader = election.isLeader();
            long now = System.nanoTime();
            if (leader && term.isPresent()) {
                long current = term.get().fencingToken();
                if (current != token) {
                    ended(election, token, lastTrue);
                    token = current;
                    lastReported = 0;
                }
                lastTrue = now;
                if (now - lastReported >= REPORT_EVERY_NANOS) {
                    believes(election, token, now);
                    lastReported = now;
                }
            }
            else {
                ended(election, token, lastTrue);
                token = -1;
            }
            try {
                Thread.sleep(SAMPLE_MILLIS);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void ended(Election election, long token, long lastTrue) {
        if (token >= 0) {
            believes(election, token, lastTrue);
        }
    }

    private void believes(Election election, long token, long at) {
        report.line("believes candidate=" + election.candidateId() + " token=" + token + " at=" + at);
    }

    @Override
    public void destroy() {
        running = false;
    }
}
