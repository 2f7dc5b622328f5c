package dev.leader.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The herd: {@code candidates} candidates of one election on one ZooKeeper server, then
 * {@code kill -9} of the leader's JVM. The server counts what that caused (its {@code mntr}
 * metrics, read before the kill and once the new leader is settled), and the successor's
 * {@code granted} stamp gives the time to the new leader.
 *
 * <p>Every candidate has a ZooKeeper client and session of its own, as if it were an
 * application instance of its own; to keep memory sane they share a few JVMs,
 * {@code perJvm} candidates each. The first candidate runs alone in its JVM and is awaited as
 * leader before the others start, so that the kill ends exactly the leader's session.
 */
final class Herd {

    /**
     * How long the server's request rate is sampled before the kill (its clients' pings). Half
     * of it is also the pause after the last candidate joined, and how long the window stays
     * open after the new leader's grant for late requests and notifications.
     */
    static final Duration QUIET = Duration.ofSeconds(2);

    /** Set-ups tried before giving up when leadership keeps moving before the kill. */
    static final int ATTEMPTS = 3;

    /** JVM options of a herd JVM: tens of clients with their threads. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx192m", "-XX:+UseSerialGC", "-Xss512k");

    /**
     * What the server did from the kill until half the quiet period after the new leader's grant.
     *
     * @param reads reads on the election's nodes (getData, exists, getChildren), by ZooKeeper's per-namespace read counts
     * @param writes creates, deletes and sets, by its per-namespace write counts (the expired session's node deletion included)
     * @param notifications watches the server triggered (node deleted, created, changed, children)
     * @param packets every request packet, pings of all sessions included
     * @param pingsPerSecond request packets per second in the quiet period before the kill
     * @param grants candidates granted in the window (one: no second leader)
     * @param attempts set-ups it took; earlier ones ended when leadership moved before the kill
     * @param moved what moved it in those earlier set-ups
     */
    record Result(int candidates, int jvms, int perJvm, long watchesBefore, long timeToLeaderNanos, long windowNanos, long reads,
            long writes, long notifications, long packets, double pingsPerSecond, int grants, int attempts, List<String> moved) {

        /** Request packets beyond the pings the quiet period predicts for the window. */
        long packetsBeyondPings() {
            return Math.round(packets - pingsPerSecond * windowNanos / 1e9);
        }
    }

    private final BenchBackend backend;

    private final ZooKeeperServers.Server server;

    private final JvmClasspath classpath;

    private final Duration lease;

    private final Duration quiet;

    private final Path logs;

    private final Signals signals;

    Herd(BenchBackend backend, ZooKeeperServers.Server server, JvmClasspath classpath, Duration lease, Duration quiet, Path logs) {
        this.backend = backend;
        this.server = server;
        this.classpath = classpath;
        this.lease = lease;
        this.quiet = quiet;
        this.logs = logs;
        this.signals = new Signals(backend.type(), logs);
    }

    Result run(int candidates, int perJvm) throws InterruptedException {
        List<String> moved = new ArrayList<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Result result = attempt(candidates, perJvm, attempt, moved);
            if (result != null) {
                return result;
            }
        }
        throw new IllegalStateException(backend.type() + ": leadership moved away from the first candidate during set-up in all "
                + ATTEMPTS + " attempts (" + String.join("; ", moved) + "); candidate logs in " + logs);
    }

    /** One set-up and kill; null when leadership moved before the kill, so that killing the first JVM would not kill the leader. */
    private @Nullable Result attempt(int candidates, int perJvm, int attempt, List<String> moved) throws InterruptedException {
        String election = "herd-" + backend.type() + "-" + ProcessHandle.current().pid() + "-" + attempt;
        List<CandidateProcess> jvms = new ArrayList<>();
        try {
            CandidateProcess leader = start(jvms, election, "h" + attempt + "-0", 1);
            signals.awaitReady(1);
            signals.awaitGranted(null, Duration.ofSeconds(30));
            int followers = candidates - 1;
            int followerJvms = (followers + perJvm - 1) / perJvm;
            for (int j = 0; j < followerJvms; j++) {
                // Spread evenly: 199 over 4 JVMs is 50, 50, 50, 49. One JVM at a time: starting them
                // all at once can starve the leader's JVM on a small machine until its session drops.
                int sessions = followers / followerJvms + (j < followers % followerJvms ? 1 : 0);
                start(jvms, election, "h" + attempt + "-" + (j + 1), sessions);
                signals.awaitReady(sessions);
            }
            Thread.sleep(quiet.toMillis() / 2);
            double pingsPerSecond = packetRate();
            long watches = server.watches();
            List<CandidateProcess.Signal> early = signals.drainGranted();
            if (!early.isEmpty()) {
                // The leader's connection or session dropped under load and it re-joined behind the
                // others (Curator's LeaderLatch re-creates its node on reconnect): killing it now
                // would kill a follower.
                moved.add("attempt " + attempt + ": " + early.size() + " grant(s) to " + early.get(0).from() + " before the kill");
                return null;
            }
            Map<String, Long> before = server.monitor();
            long killed = System.nanoTime();
            signals.expectExit(leader);
            leader.kill();
            CandidateProcess.Signal granted = signals.awaitGranted(leader, lease.multipliedBy(3).plusSeconds(15));
            Thread.sleep(quiet.toMillis() / 2);
            Map<String, Long> after = server.monitor();
            long window = System.nanoTime() - killed;
            int grants = 1 + signals.drainGranted().size();
            return new Result(candidates, jvms.size(), perJvm, watches, granted.nanos() - killed, window,
                    delta(before, after, "_read_per_namespace"), delta(before, after, "_write_per_namespace"),
                    delta(before, after, "_watch_count"), after.get("zk_packets_received") - before.get("zk_packets_received"),
                    pingsPerSecond, grants, attempt, List.copyOf(moved));
        }
        finally {
            for (CandidateProcess jvm : jvms) {
                signals.expectExit(jvm);
                jvm.close();
            }
            // What the closing JVMs printed belongs to this attempt.
            signals.drainGranted();
        }
    }

    private CandidateProcess start(List<CandidateProcess> jvms, String election, String id, int sessions) {
        CandidateProcess jvm = CandidateProcess.start(classpath, sessions == 1 ? CandidateProcess.JVM_OPTIONS : JVM_OPTIONS,
                backend.type(), server.connectString(), election, id, lease, sessions,
                logs.resolve(backend.type() + "-herd-" + id + ".log"), signals.queue());
        jvms.add(jvm);
        signals.started(jvm);
        return jvm;
    }

    private double packetRate() throws InterruptedException {
        long before = server.packetsReceived();
        long start = System.nanoTime();
        Thread.sleep(quiet.toMillis());
        long after = server.packetsReceived();
        return (after - before) * 1e9 / (System.nanoTime() - start);
    }

    /**
     * The growth of the summed counts: {@code zk_cnt_<namespace>_read_per_namespace} counts the
     * reads of one top-level path, {@code zk_sum_node_deleted_watch_count} (and created, changed,
     * children) the watches each kind of event triggered.
     */
    private static long delta(Map<String, Long> before, Map<String, Long> after, String suffix) {
        boolean perNamespace = suffix.endsWith("_per_namespace");
        long sum = 0;
        for (Map.Entry<String, Long> metric : after.entrySet()) {
            String name = metric.getKey();
            boolean counted = perNamespace ? name.startsWith("zk_cnt_") && name.endsWith(suffix)
                    : name.startsWith("zk_sum_node_") && name.endsWith(suffix);
            if (counted) {
                sum += metric.getValue() - before.getOrDefault(name, 0L);
            }
        }
        return sum;
    }
}
