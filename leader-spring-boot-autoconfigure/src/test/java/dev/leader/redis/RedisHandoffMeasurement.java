package dev.leader.redis;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.testsupport.RedisServer;
import io.lettuce.core.RedisURI;

/**
 * Measures, with three candidate JVMs on a real redis-server: the handoff after SIGTERM of the
 * leader (graceful close → release → pub/sub → successor's acquire), and the failover after
 * kill -9 of the leader, with and without keyspace expiry notifications. Not a test: run it by
 * hand, from the repository root, and read the figures.
 *
 * <pre>
 * mvn -q -o test-compile -pl leader-spring-boot-autoconfigure
 * mvn -q -o dependency:build-classpath -pl leader-spring-boot-autoconfigure -Dmdep.outputFile=/tmp/redis-cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat /tmp/redis-cp.txt):leader-spring-boot-autoconfigure/target/classes:leader-spring-boot-autoconfigure/target/test-classes" \
 *     dev.leader.redis.RedisHandoffMeasurement [handoffRounds=20] [failoverRounds=5] [leaseMillis=2000]
 * </pre>
 */
public final class RedisHandoffMeasurement {

    private static final AtomicInteger ids = new AtomicInteger();

    private RedisHandoffMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int handoffRounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int failoverRounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long lease = args.length > 2 ? Long.parseLong(args[2]) : 2_000;
        RedisClientLogs.quiet();
        Path directory = Files.createTempDirectory("redis-measure");
        try (RedisServer server = RedisServer.start()) {
            report("handoff after close(), candidates in one JVM (ms)", inProcess(server, handoffRounds, lease));
            report("handoff after SIGTERM (ms)", rounds(server, "TERM", handoffRounds, lease));
            report("failover after kill -9, lease " + lease + " ms, followers wait on PTTL (ms)",
                    rounds(server, "KILL", failoverRounds, lease));
        }
        Path notifying = Files.createTempDirectory("redis-measure");
        try (RedisServer server = RedisServer.builder().options("--notify-keyspace-events", "Kx").start()) {
            report("failover after kill -9, lease " + lease + " ms, keyspace expiry notifications (ms)",
                    rounds(server, "KILL", failoverRounds, lease));
        }
        System.exit(0);
    }

    private static List<Long> rounds(RedisServer server, String signal, int rounds, long lease) throws Exception {
        String election = "measure-" + signal.toLowerCase() + "-" + System.nanoTime();
        List<CandidateProcess> candidates = new ArrayList<>();
        List<Long> results = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                candidates.add(CandidateProcess.start(server.url(), election, "c" + ids.incrementAndGet(), lease));
            }
            for (int round = 0; round < rounds; round++) {
                CandidateProcess leader = awaitLeader(candidates);
                // Every follower has read the lease: all are waiting, none still starting.
                await().atMost(Duration.ofSeconds(30)).until(() -> candidates.stream()
                        .allMatch(c -> c == leader || c.lines().stream().anyMatch(l -> l.startsWith("LEADER " + leader.id()))));
                long sent = System.currentTimeMillis();
                leader.signal(signal);
                await().atMost(Duration.ofMillis(lease * 3)).until(() -> grantAfter(candidates, leader, sent).isPresent());
                long took = grantAfter(candidates, leader, sent).orElseThrow() - sent;
                results.add(took);
                System.out.println(signal + " round " + (round + 1) + ": " + took + " ms");
                await().atMost(Duration.ofSeconds(15)).until(() -> !leader.isAlive());
                candidates.remove(leader);
                leader.close();
                candidates.add(CandidateProcess.start(server.url(), election, "c" + ids.incrementAndGet(), lease));
            }
        }
        finally {
            for (CandidateProcess candidate : candidates) {
                candidate.close();
            }
        }
        return results;
    }

    /** close() of the leader → the successor's granted event, on the monotonic clock. */
    private static List<Double> inProcess(RedisServer server, int rounds, long lease) {
        String election = "measure-close-" + System.nanoTime();
        List<RedisElectionBackend> backends = new ArrayList<>();
        List<Election> candidates = new ArrayList<>();
        AtomicLong grantedNanos = new AtomicLong();
        List<Double> results = new ArrayList<>();
        try {
            for (int round = -3; round < rounds; round++) {
                while (candidates.size() < 3) {
                    RedisElectionBackend backend = new RedisElectionBackend(RedisURI.create(server.url()),
                            RedisBackendSettings.of(Duration.ofMillis(lease)));
                    backends.add(backend);
                    Election candidate = backend.election(election, "p" + ids.incrementAndGet());
                    candidate.addListener(new ElectionListener() {
                        @Override
                        public void granted(Leadership leadership) {
                            grantedNanos.set(System.nanoTime());
                        }
                    });
                    candidate.start();
                    candidates.add(candidate);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1
                        && candidates.stream().allMatch(c -> c.leaderId().isPresent()));
                Election leader = candidates.stream().filter(Election::isLeader).findFirst().orElseThrow();
                long before = grantedNanos.get();
                long start = System.nanoTime();
                leader.close();
                candidates.remove(leader);
                await().atMost(Duration.ofMillis(lease * 3)).until(() -> grantedNanos.get() != before);
                if (round >= 0) { // the first rounds warm the JIT up
                    results.add((grantedNanos.get() - start) / 1e6);
                }
            }
        }
        finally {
            backends.forEach(RedisElectionBackend::close);
        }
        return results;
    }

    private static CandidateProcess awaitLeader(List<CandidateProcess> candidates) {
        await().atMost(Duration.ofSeconds(30)).until(() -> candidates.stream().anyMatch(RedisHandoffMeasurement::leads));
        return candidates.stream().filter(RedisHandoffMeasurement::leads).findFirst().orElseThrow();
    }

    private static boolean leads(CandidateProcess candidate) {
        return candidate.count("GRANTED") > candidate.count("REVOKED");
    }

    private static Optional<Long> grantAfter(List<CandidateProcess> candidates, CandidateProcess old, long sent) {
        return candidates.stream().filter(c -> c != old).flatMap(c -> c.lines().stream())
                .filter(l -> l.startsWith("GRANTED ")).map(CandidateProcess::time).filter(t -> t >= sent).min(Long::compare);
    }

    private static <T extends Number & Comparable<T>> void report(String what, List<T> millis) {
        List<T> sorted = millis.stream().sorted().toList();
        System.out.printf("%s: n=%d p50=%s p99=%s max=%s all=%s%n", what, sorted.size(), percentile(sorted, 50),
                percentile(sorted, 99), sorted.get(sorted.size() - 1), millis);
    }

    private static <T> T percentile(List<T> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
