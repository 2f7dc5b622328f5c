package dev.leader.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import dev.leader.election.Election;
import dev.leader.testsupport.BridgedNamespaces;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.Placement;
import dev.leader.testsupport.Shell;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A raft leader cut off from its peers but not from its clients goes on answering lease
 * keep-alives as if it still led until its own election timeout ends it (etcd 3.4 renews a lease
 * on the leader's word alone; etcd#15247), while the other members elect a new leader whose copy
 * of the lease runs out. A candidate that counted those answers would believe it leads next to
 * the one the new leader let in. Here the cut-off member is the only one the first candidate
 * knows, it runs in a network namespace of its own so that its peer traffic can be dropped while
 * its client port still answers, and its election timeout is long, so it stays a stale leader for
 * seconds, as a member stalled in fsync or starved of CPU does.
 */
class EtcdStaleRaftLeaderTest {

    private static final Duration LEASE = Duration.ofSeconds(2);

    private @Nullable EtcdCluster cluster;

    private final List<EtcdElectionBackend> backends = new ArrayList<>();

    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF), 16);

    private final String namespace = "etcd-stale-" + tag;

    private final String hostSide = "es" + tag + "h";

    private final String subnet = "10.97." + ThreadLocalRandom.current().nextInt(1, 250);

    private boolean namespaceCreated;

    @AfterEach
    void stopAll() throws IOException {
        for (EtcdElectionBackend backend : backends) {
            backend.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (namespaceCreated) {
            Shell.run(List.of("ip", "netns", "del", namespace));
        }
    }

    @Test
    void keepAlivesAnsweredByACutOffRaftLeaderDoNotExtendBelief() throws Exception {
        String unavailable = BridgedNamespaces.oneWayDropUnavailableReason();
        Assumptions.assumeTrue(unavailable == null, unavailable);
        createNamespace();
        String hostAddress = subnet + ".1";
        String isolatedAddress = subnet + ".2";
        // Member 0 steps down only after 6 s without its peers (etcd's check-quorum runs once per
        // election timeout); members 1 and 2 elect a new leader about a second after losing it.
        cluster = EtcdCluster.builder(3)
                .member(0, Placement.in(List.of("ip", "netns", "exec", namespace), isolatedAddress), "--heartbeat-interval", "100",
                        "--election-timeout", "6000")
                .member(1, Placement.in(List.of(), hostAddress)).member(2, Placement.in(List.of(), hostAddress)).start();
        URI isolated = cluster.endpoint(0);
        List<URI> others = List.of(cluster.endpoint(1), cluster.endpoint(2));
        cluster.makeLeader(0);

        String election = "stale-" + UUID.randomUUID().toString().substring(0, 8);
        Election first = candidate(List.of(isolated), election, "first");
        first.start();
        await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
        Election second = candidate(others, election, "second");
        second.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.leaderId().filter("first"::equals).isPresent());

        AtomicLong bothBelieved = new AtomicLong();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (first.isLeader() && second.isLeader()) {
                    bothBelieved.incrementAndGet();
                }
                LockSupport.parkNanos(200_000);
            }
        }, "both-believe-watcher");
        watcher.setDaemon(true);
        watcher.start();
        cutOffFromPeers(isolated.getPort());
        try {
            await().atMost(Duration.ofSeconds(20)).until(second::isLeader);
            // Until the cut-off member's check-quorum ends its term, at the latest.
            await().atMost(Duration.ofSeconds(15)).until(() -> !first.isLeader());
        }
        finally {
            watcher.interrupt();
            watcher.join();
        }
        assertThat(bothBelieved.get()).as("samples in which both candidates believed they led").isZero();
    }

    private Election candidate(List<URI> endpoints, String election, String id) {
        EtcdElectionBackend backend = new EtcdElectionBackend(EtcdBackendSettings.of(endpoints).withLeaseDuration(LEASE));
        backends.add(backend);
        return backend.election(election, id);
    }

    private void createNamespace() throws IOException {
        Shell.must(List.of("ip", "netns", "add", namespace));
        namespaceCreated = true;
        Shell.must(List.of("ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", namespace));
        Shell.must(List.of("ip", "addr", "add", subnet + ".1/24", "dev", hostSide));
        Shell.must(List.of("ip", "link", "set", hostSide, "up"));
        Shell.must(List.of("ip", "-n", namespace, "addr", "add", subnet + ".2/24", "dev", "eth0"));
        Shell.must(List.of("ip", "-n", namespace, "link", "set", "eth0", "up"));
        Shell.must(List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
    }

    /**
     * Drops every packet on the namespace's link except those to or from the member's client
     * port, both ways: its peers no longer hear it nor it them, its clients still do.
     */
    private void cutOffFromPeers(int clientPort) throws IOException {
        for (List<String> in : List.of(List.<String>of(), List.of("ip", "netns", "exec", namespace))) {
            String device = in.isEmpty() ? hostSide : "eth0";
            String failure = BridgedNamespaces.dropQdisc(in, device);
            if (failure != null) {
                throw new IOException("cannot set up dropping on " + device + ": " + failure);
            }
            // First match wins: the client port passes, every other IP packet is dropped.
            for (String direction : List.of("sport", "dport")) {
                tc(in, "filter", "add", "dev", device, "parent", "1:", "protocol", "ip", "pref", "1", "u32", "match", "ip", direction,
                        Integer.toString(clientPort), "0xffff", "flowid", "1:1");
            }
            tc(in, "filter", "add", "dev", device, "parent", "1:", "protocol", "ip", "pref", "2", "u32", "match", "u32", "0", "0",
                    "flowid", BridgedNamespaces.DROP_CLASS);
        }
    }

    private static void tc(List<String> in, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(in);
        command.add("tc");
        command.addAll(List.of(arguments));
        Shell.must(command);
    }
}
