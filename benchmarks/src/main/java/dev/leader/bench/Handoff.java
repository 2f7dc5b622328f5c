package dev.leader.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Graceful hand-off and crash failover among {@code candidates} JVMs of one backend.
 *
 * <p>Graceful: the leader's release call ({@code RELEASED} stamp, taken just before
 * {@code close()}) to the successor's {@code granted} stamp; once the successor leads, the old
 * leader campaigns again under a fresh id, so every round has the same number of candidates. Crash: the harness's stamp
 * just before {@code kill -9} of the leader's JVM to the successor's {@code granted}; a fresh JVM
 * replaces the dead one before the next round.
 */
final class Handoff {

    /** Pause between rounds, so that the candidate that just re-joined is queued like the others. */
    static final Duration PACE = Duration.ofMillis(100);

    record Result(List<Long> gracefulNanos, List<Long> crashNanos) {
    }

    private final BenchBackend backend;

    private final String address;

    private final JvmClasspath classpath;

    private final Duration lease;

    private final Path logs;

    private final BlockingQueue<CandidateProcess.Signal> signals = new LinkedBlockingQueue<>();

    private final List<CandidateProcess> all = new ArrayList<>();

    private final Set<CandidateProcess> alive = new HashSet<>();

    private int started;

    Handoff(BenchBackend backend, String address, JvmClasspath classpath, Duration lease, Path logs) {
        this.backend = backend;
        this.address = address;
        this.classpath = classpath;
        this.lease = lease;
        this.logs = logs;
    }

    Result run(int candidates, int gracefulRounds, int crashRounds) throws InterruptedException {
        String election = "bench-" + backend.type() + "-" + ProcessHandle.current().pid();
        try {
            for (int i = 0; i < candidates; i++) {
                startCandidate(election);
            }
            awaitReady(candidates);
            CandidateProcess leader = awaitGranted(null, Duration.ofSeconds(30)).from();
            List<Long> graceful = new ArrayList<>();
            for (int round = 0; round < gracefulRounds; round++) {
                pace();
                leader.send("RELEASE");
                long released = await(leader, "RELEASED", Duration.ofSeconds(10)).nanos();
                CandidateProcess.Signal granted = awaitGranted(leader, Duration.ofSeconds(10));
                graceful.add(granted.nanos() - released);
                // Only now, so that the old leader cannot win its own release back.
                leader.send("JOIN");
                await(leader, "READY", Duration.ofSeconds(30));
                leader = granted.from();
            }
            List<Long> crash = new ArrayList<>();
            Duration failoverBound = backend.lease(lease).multipliedBy(3).plusSeconds(15);
            for (int round = 0; round < crashRounds; round++) {
                pace();
                long killed = System.nanoTime();
                leader.kill();
                alive.remove(leader);
                CandidateProcess.Signal granted = awaitGranted(leader, failoverBound);
                crash.add(granted.nanos() - killed);
                leader = granted.from();
                startCandidate(election);
                awaitReady(1);
            }
            return new Result(graceful, crash);
        }
        finally {
            for (CandidateProcess candidate : all) {
                candidate.close();
            }
        }
    }

    /** Server requests per second at rest: a leader alone, then with {@code followers} idle followers. */
    record Rest(double leaderAlonePerSecond, double withFollowersPerSecond, int followers, Duration window) {

        double perFollowerPerSecond() {
            return (withFollowersPerSecond - leaderAlonePerSecond) / followers;
        }
    }

    Rest atRest(BenchBackend.BenchServer server, int followers, Duration window) throws InterruptedException {
        String election = "rest-" + backend.type() + "-" + ProcessHandle.current().pid();
        try {
            startCandidate(election);
            awaitReady(1);
            awaitGranted(null, Duration.ofSeconds(30));
            double alone = rate(server, window);
            for (int i = 0; i < followers; i++) {
                startCandidate(election);
            }
            awaitReady(followers);
            double all = rate(server, window);
            return new Rest(alone, all, followers, window);
        }
        finally {
            for (CandidateProcess candidate : all) {
                candidate.close();
            }
        }
    }

    private static double rate(BenchBackend.BenchServer server, Duration window) throws InterruptedException {
        // Let connection set-up and first reads settle before counting.
        Thread.sleep(2000);
        long before = server.requestsServed();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        long after = server.requestsServed();
        return (after - before) * 1e9 / (System.nanoTime() - start);
    }

    private void startCandidate(String election) {
        String id = "c" + (++started);
        CandidateProcess candidate = CandidateProcess.start(classpath, backend.type(), address, election, id, lease,
                logs.resolve(backend.type() + "-" + id + ".log"), signals);
        all.add(candidate);
        alive.add(candidate);
    }

    private void pace() throws InterruptedException {
        Thread.sleep(PACE.toMillis());
    }

    private void awaitReady(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            await(s -> s.kind().equals("READY"), Duration.ofSeconds(60), "READY from " + count + " candidates");
        }
    }

    /** The next GRANTED from a candidate other than {@code previous} (a dead leader, or none). */
    private CandidateProcess.Signal awaitGranted(@Nullable CandidateProcess previous, Duration bound) throws InterruptedException {
        return await(s -> s.kind().equals("GRANTED") && s.from() != previous, bound, "a successor's GRANTED");
    }

    private CandidateProcess.Signal await(CandidateProcess from, String kind, Duration bound) throws InterruptedException {
        return await(s -> s.from() == from && s.kind().equals(kind), bound, kind + " from " + from);
    }

    private CandidateProcess.Signal await(Predicate<CandidateProcess.Signal> wanted, Duration bound, String description)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<CandidateProcess.Signal> others = new ArrayList<>();
        try {
            while (true) {
                CandidateProcess.Signal signal = next(deadline, description);
                if (wanted.test(signal)) {
                    return signal;
                }
                others.add(signal);
            }
        }
        finally {
            // Keep what was not wanted yet: the successor's GRANTED may come before the RELEASED.
            List<CandidateProcess.Signal> rest = new ArrayList<>();
            signals.drainTo(rest);
            signals.addAll(others);
            signals.addAll(rest);
        }
    }

    private CandidateProcess.Signal next(long deadline, String waitingFor) throws InterruptedException {
        long left = deadline - System.nanoTime();
        CandidateProcess.Signal signal = left > 0 ? signals.poll(left, TimeUnit.NANOSECONDS) : null;
        while (signal != null && signal.kind().equals("LEADER")) {
            // Followers' view of the leader is logged by the candidates but not timed here.
            signal = signals.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (signal == null) {
            throw new IllegalStateException(backend.type() + ": timed out waiting for " + waitingFor + "; candidate logs in " + logs);
        }
        if (signal.kind().equals("EXITED") && alive.contains(signal.from())) {
            throw new IllegalStateException(backend.type() + ": candidate " + signal.from() + " exited; see " + logs);
        }
        return signal;
    }
}
