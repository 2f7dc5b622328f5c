package dev.leader.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    /** Pause before counting requests at rest, after the candidates have joined. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    record Result(List<Long> warmupNanos, List<Long> gracefulNanos, List<Long> crashNanos, List<Round> graceful) {
    }

    /** One graceful round: who released and when, who was granted and when (nanoTime of this host). */
    record Round(String from, String to, long releasedNanos, long grantedNanos) {
    }

    private final BenchBackend backend;

    private final String address;

    private final JvmClasspath classpath;

    private final Duration lease;

    private final Path logs;

    private final Signals signals;

    private final List<String> jvmOptions;

    private final List<CandidateProcess> all = new ArrayList<>();

    private int started;

    Handoff(BenchBackend backend, String address, JvmClasspath classpath, Duration lease, Path logs) {
        this(backend, address, classpath, lease, logs, CandidateProcess.JVM_OPTIONS);
    }

    /** @param jvmOptions the candidate JVMs' options */
    Handoff(BenchBackend backend, String address, JvmClasspath classpath, Duration lease, Path logs, List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
        this.backend = backend;
        this.address = address;
        this.classpath = classpath;
        this.lease = lease;
        this.logs = logs;
        this.signals = new Signals(backend.type(), logs);
    }

    Result run(int candidates, int warmupRounds, int gracefulRounds, int crashRounds) throws InterruptedException {
        String election = "bench-" + backend.type() + "-" + ProcessHandle.current().pid();
        try {
            for (int i = 0; i < candidates; i++) {
                startCandidate(election);
            }
            signals.awaitReady(candidates);
            CandidateProcess leader = signals.awaitGranted(null, Duration.ofSeconds(30)).from();
            List<Long> warmup = new ArrayList<>();
            List<Long> graceful = new ArrayList<>();
            List<Round> rounds = new ArrayList<>();
            for (int round = 0; round < warmupRounds + gracefulRounds; round++) {
                pace();
                leader.send("RELEASE");
                long released = signals.await(leader, "RELEASED", Duration.ofSeconds(10)).nanos();
                CandidateProcess.Signal granted = signals.awaitGranted(leader, Duration.ofSeconds(10));
                if (round < warmupRounds) {
                    warmup.add(granted.nanos() - released);
                }
                else {
                    graceful.add(granted.nanos() - released);
                    rounds.add(new Round(leader.id(), granted.from().id(), released, granted.nanos()));
                }
                // Only now, so that the old leader cannot win its own release back.
                leader.send("JOIN");
                signals.await(leader, "READY", Duration.ofSeconds(30));
                leader = granted.from();
            }
            List<Long> crash = new ArrayList<>();
            Duration failoverBound = backend.lease(lease).multipliedBy(3).plusSeconds(15);
            for (int round = 0; round < crashRounds; round++) {
                pace();
                long killed = System.nanoTime();
                signals.expectExit(leader);
                leader.kill();
                CandidateProcess.Signal granted = signals.awaitGranted(leader, failoverBound);
                crash.add(granted.nanos() - killed);
                leader = granted.from();
                startCandidate(election);
                signals.awaitReady(1);
            }
            return new Result(warmup, graceful, crash, rounds);
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
            signals.awaitReady(1);
            signals.awaitGranted(null, Duration.ofSeconds(30));
            double alone = rate(server, window);
            for (int i = 0; i < followers; i++) {
                startCandidate(election);
            }
            signals.awaitReady(followers);
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
        // Let connection set-up and first reads settle before counting (shorter for the smoke test's short windows).
        Thread.sleep(Math.min(SETTLE.toMillis(), window.toMillis()));
        long before = server.requestsServed();
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        long after = server.requestsServed();
        return (after - before) * 1e9 / (System.nanoTime() - start);
    }

    private void startCandidate(String election) {
        String id = "c" + (++started);
        CandidateProcess candidate = CandidateProcess.start(classpath, jvmOptions, backend.type(), address, election, id, lease, 1,
                logs.resolve(backend.type() + "-" + id + ".log"), signals.queue());
        all.add(candidate);
        signals.started(candidate);
    }

    private void pace() throws InterruptedException {
        Duration rejoin = backend.rejoin(lease);
        Thread.sleep(Math.max(PACE.toMillis(), rejoin.toMillis()));
    }
}
