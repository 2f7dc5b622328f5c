package dev.leader.lan;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;

/**
 * Prints hand-off and fail-over figures; not a test. Run from the module directory:
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.leader.lan.LanHandoffMeasurement
 * </pre>
 * (1) yield → successor granted, two backends in this JVM on lo, 20 rounds; (2) SIGTERM of a
 * leader JVM → successor granted (RESIGN), and (3) kill -9 → successor granted, peers in
 * three network namespaces (or on lo where namespaces are unavailable), 5 rounds each. With the
 * argument {@code quorum}: (1) with {@code leader.lan.quorum=2}, (2) and (3) with four peers and
 * a quorum of 3 (a successor then needs the backing of a majority: one round trip more).
 */
public final class LanHandoffMeasurement {

    private static final Duration LEASE = Duration.ofSeconds(2);

    private LanHandoffMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        LoopbackMulticast.enable();
        boolean quorum = List.of(args).contains("quorum");
        inProcessYield(20, quorum ? 2 : 0);
        String reason = NetnsLab.unavailableReason();
        System.out.println(reason == null ? "peers in network namespaces" : "peers on lo: " + reason);
        try (NetnsLab lab = reason == null ? new NetnsLab(4) : null) {
            processRounds(lab, 5, quorum);
        }
        System.exit(0);
    }

    private static void inProcessYield(int rounds, int quorum) {
        int port = LoopbackMulticast.randomPort();
        List<Long> micros = new ArrayList<>();
        try (LanElectionBackend one = new LanElectionBackend(LoopbackMulticast.settings(port, "m").lease(LEASE).quorum(quorum).build());
                LanElectionBackend two = new LanElectionBackend(LoopbackMulticast.settings(port, "m").lease(LEASE).quorum(quorum).build())) {
            AtomicLong grantedAt = new AtomicLong();
            ElectionListener stamp = new ElectionListener() {
                @Override
                public void granted(Leadership leadership) {
                    grantedAt.set(System.nanoTime());
                }
            };
            Election a = one.election("measure", "a");
            Election b = two.election("measure", "b");
            a.addListener(stamp);
            b.addListener(stamp);
            a.start();
            b.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() || b.isLeader());
            for (int i = 0; i < rounds; i++) {
                Election leader = a.isLeader() ? a : b;
                Election next = leader == a ? b : a;
                long before = grantedAt.get();
                long yieldedAt = System.nanoTime();
                leader.yieldLeadership();
                await().atMost(LEASE.multipliedBy(2)).until(() -> next.isLeader() && grantedAt.get() != before);
                micros.add((grantedAt.get() - yieldedAt) / 1000);
            }
        }
        print("yield -> successor granted, same JVM, lo, quorum " + quorum, micros);
    }

    private static void processRounds(NetnsLab lab, int rounds, boolean quorum) throws Exception {
        List<Long> resign = new ArrayList<>();
        List<Long> failover = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            LanProcessScenarios peers = new LanProcessScenarios() {
                @Override
                protected String namespace(int i) {
                    return lab == null ? null : lab.namespace(i);
                }

                @Override
                protected String networkInterface() {
                    return lab == null ? LoopbackMulticast.INTERFACE : NetnsLab.PEER_INTERFACE;
                }
            };
            peers.election = "measure-" + UUID.randomUUID().toString().substring(0, 8);
            try {
                List<LanPeerProcess> all = quorum ? peers.startReady(4, "quorum=3") : peers.startReady(3);
                LanPeerProcess first = LanProcessScenarios.awaitSingleLeader(all, Duration.ofSeconds(10));
                first.terminate();
                List<LanPeerProcess> rest = LanProcessScenarios.others(all, first);
                LanPeerProcess second = LanProcessScenarios.awaitSingleLeader(rest, LEASE.multipliedBy(2));
                long closing = Long.parseLong(first.lines("CLOSING").get(0).word(1));
                resign.add((second.lastGrantNanos() - closing) / 1000);
                long killedAt = System.nanoTime();
                second.kill();
                List<LanPeerProcess> last = LanProcessScenarios.others(rest, second);
                LanPeerProcess third = LanProcessScenarios.awaitSingleLeader(last, LEASE.multipliedBy(3));
                failover.add((third.lastGrantNanos() - killedAt) / 1000);
            }
            finally {
                peers.stopPeers();
            }
        }
        print("SIGTERM (RESIGN) -> successor granted, separate JVMs", resign);
        print("kill -9 -> successor granted, separate JVMs, lease " + LEASE.toMillis() + " ms", failover);
    }

    private static void print(String what, List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        long p50 = sorted.get((sorted.size() - 1) / 2);
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        System.out.printf("%s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms all(us)=%s%n", what, sorted.size(), p50 / 1000.0,
                p99 / 1000.0, sorted.get(sorted.size() - 1) / 1000.0, micros);
    }
}
