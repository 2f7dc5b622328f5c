package dev.leader.fault.app;

import dev.leader.spring.ElectionRegistry;
import dev.leader.election.Election;
import dev.leader.election.Leadership;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Samples {@link Election#isLeader()} of every election every few milliseconds and reports what this instance
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

    /** What the probe last saw of one election. */
    private static final class Sampled {

        long token = -1;

        long lastTrue;

        long lastReported;
    }

    private void sample() {
        Map<String, Sampled> sampled = new HashMap<>();
        while (running) {
            // Every election the application runs: the default one, and the fault suite's second one when it runs it.
            for (Election election : registry.elections().values()) {
                sample(election, sampled.computeIfAbsent(election.name(), n -> new Sampled()));
            }
            try {
                Thread.sleep(SAMPLE_MILLIS);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void sample(Election election, Sampled last) {
        // Read the term before asking isLeader(): a true answer then vouches for this term.
        Optional<Leadership> term = election.leadership();
        boolean leader = election.isLeader();
        long now = System.nanoTime();
        if (leader && term.isPresent()) {
            long current = term.get().fencingToken();
            if (current != last.token) {
                ended(election, last);
                last.token = current;
                last.lastReported = 0;
            }
            last.lastTrue = now;
            if (now - last.lastReported >= REPORT_EVERY_NANOS) {
                believes(election, last.token, now);
                last.lastReported = now;
            }
        }
        else {
            ended(election, last);
            last.token = -1;
        }
    }

    private void ended(Election election, Sampled last) {
        if (last.token >= 0) {
            believes(election, last.token, last.lastTrue);
        }
    }

    private void believes(Election election, long token, long at) {
        report.line("believes election=" + election.name() + " candidate=" + election.candidateId() + " token=" + token + " at=" + at);
    }

    @Override
    public void destroy() {
        running = false;
    }
}
