package dev.leader.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import dev.leader.election.Election;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.LoopbackProxy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A raft leader stopped for a while (SIGSTOP here; a member stalled in fsync or starved of CPU in
 * the field) is deposed, and the others elect a leader that renews the leases from then on. When
 * the old one runs again, its lessor can still take itself for the primary for a moment and
 * revoke every lease whose last renewal it saw more than a TTL ago; a revoke it proposes once its
 * raft node has stepped down is forwarded to the new leader and commits (etcd#12528, etcd#15247;
 * etcd 3.4.28 and 3.5.11 narrow the window, no release closes it). The fault suite's soak saw it
 * on etcd 3.4.23: the revoke deleted a candidate's key while the candidate, counting the new
 * leader's renewals, still believed in its term, and the next candidate was let in.
 *
 * <p>Which of the old leader's revokes commit is a race inside that member that a test cannot
 * steer, so after the real pause and resume this test commits the revoke the old leader makes: a
 * revoke of each lease it granted, through the new leader, once its TTL has run out by the old
 * leader's account.
 */
class EtcdPausedRaftLeaderTest {

    private static final Duration LEASE = Duration.ofSeconds(4);

    private static final int ELECTIONS = 4;

    private @Nullable EtcdCluster cluster;

    private final List<EtcdElectionBackend> backends = new ArrayList<>();

    private final List<LoopbackProxy> proxies = new ArrayList<>();

    @AfterEach
    void stopAll() throws IOException {
        for (EtcdElectionBackend backend : backends) {
            backend.close();
        }
        for (LoopbackProxy proxy : proxies) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRevokeByADeposedRaftLeaderOfALeaseItGrantedEndsNoTermThatAnotherCandidateCouldOverlap() throws Exception {
        // A raft leader is elected within about half a second, well inside the candidates' lease.
        EtcdCluster etcd = EtcdCluster.builder(3).options("--heartbeat-interval", "50", "--election-timeout", "300").start();
        cluster = etcd;
        etcd.makeLeader(0);
        List<String> names = IntStream.range(0, ELECTIONS).mapToObj(i -> "paused-" + UUID.randomUUID().toString().substring(0, 8)).toList();
        // The first candidates talk to the followers only, through proxies that can silence their watches.
        EtcdElectionBackend firstBackend = backend(List.of(proxied(etcd.endpoint(1)), proxied(etcd.endpoint(2))));
        List<EtcdElection> firsts = names.stream().map(name -> (EtcdElection) firstBackend.election(name, "first")).toList();
        firsts.forEach(Election::start);
        await().atMost(Duration.ofSeconds(20)).until(() -> firsts.stream().allMatch(Election::isLeader));
        List<Long> grantedByTheOldLeader = firsts.stream().map(EtcdElection::leaseId).toList();

        long pausedAt = System.nanoTime();
        etcd.pause(0);
        int successor = await().atMost(Duration.ofSeconds(20)).until(etcd::raftLeader, leader -> leader != 0);
        long successorElected = System.nanoTime();
        etcd.resume(0);
        etcd.awaitHealthy();
        // Every first candidate has had a keep-alive confirmed by the new leader (or lost its term).
        long belief = LEASE.minus(LEASE.dividedBy(10)).toNanos();
        await().atMost(LEASE.multipliedBy(2)).until(() -> firsts.stream().allMatch(first -> first.leaseRemaining()
                .map(remaining -> System.nanoTime() + remaining.toNanos() - (successorElected + belief) > 0).orElse(true)));
        // The second candidates' leases are granted by the new raft leader: the old one never knew them.
        EtcdElectionBackend secondBackend = backend(List.of(etcd.endpoint(successor)));
        List<Election> seconds = names.stream().map(name -> secondBackend.election(name, "second")).toList();
        seconds.forEach(Election::start);
        await().atMost(Duration.ofSeconds(20)).until(() -> seconds.stream().allMatch(second -> second.leaderId().isPresent()));
        // A first candidate would learn of its key's deletion from its watch within milliseconds
        // and narrow the window this test looks for: it learns it from a keep-alive instead.
        proxies.forEach(proxy -> proxy.silenceConnectionsThatSent("/v3/watch"));

        AtomicLong bothBelieved = new AtomicLong();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (int i = 0; i < ELECTIONS; i++) {
                    if (firsts.get(i).isLeader() && seconds.get(i).isLeader()) {
                        bothBelieved.incrementAndGet();
                    }
                }
                LockSupport.parkNanos(200_000);
            }
        }, "both-believe-watcher");
        watcher.setDaemon(true);
        watcher.start();
        try {
            // By the old leader's account the leases it last renewed before the pause have run out.
            long runOut = pausedAt + Duration.ofSeconds(firstBackend.settings().ttlSeconds()).toNanos();
            await().atMost(LEASE.multipliedBy(2)).until(() -> System.nanoTime() - runOut > 0);
            EtcdKv viaTheNewLeader = new EtcdKv(new EtcdHttp(EtcdBackendSettings.of(List.of(etcd.endpoint(successor)))), LEASE);
            for (long lease : grantedByTheOldLeader) {
                viaTheNewLeader.revoke(lease);
            }
            // A first candidate that lost its key hears of it within a keep-alive interval.
            long settled = System.nanoTime() + LEASE.toNanos();
            await().atMost(LEASE.multipliedBy(3)).until(() -> System.nanoTime() - settled > 0);
        }
        finally {
            watcher.interrupt();
            watcher.join();
        }
        assertThat(bothBelieved.get()).as("samples in which two candidates of one election believed they led").isZero();
        for (int i = 0; i < ELECTIONS; i++) {
            Election first = firsts.get(i);
            Election second = seconds.get(i);
            await("one leader in election " + names.get(i)).atMost(LEASE.multipliedBy(3))
                    .until(() -> first.isLeader() != second.isLeader());
        }
    }

    private URI proxied(URI member) throws IOException {
        LoopbackProxy proxy = LoopbackProxy.to(member.getPort());
        proxies.add(proxy);
        return URI.create("http://127.0.0.1:" + proxy.port());
    }

    private EtcdElectionBackend backend(List<URI> endpoints) {
        EtcdElectionBackend backend = new EtcdElectionBackend(EtcdBackendSettings.of(endpoints).withLeaseDuration(LEASE));
        backends.add(backend);
        return backend;
    }
}
