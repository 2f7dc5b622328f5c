package dev.leader.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.ElectionState;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import dev.leader.testsupport.EtcdCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The etcd-specific failures: dead leases while waiting, compaction, etcd crashes, lost quorum. */
class EtcdElectionFailureTest {

    private static final Duration LEASE = Duration.ofSeconds(2);

    /** etcd's default --election-timeout. */
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(1);

    private final List<EtcdElectionBackend> backends = new ArrayList<>();

    private final List<Leadership> grants = new CopyOnWriteArrayList<>();

    private EtcdCluster etcd;

    private final String election = "failure-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void stopAll() throws Exception {
        for (EtcdElectionBackend backend : backends) {
            backend.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private EtcdElection candidate(String id, boolean start) {
        EtcdElectionBackend backend = new EtcdElectionBackend(EtcdBackendSettings.of(etcd.endpoints()).withLeaseDuration(LEASE));
        backends.add(backend);
        EtcdElection candidate = (EtcdElection) backend.election(election, id);
        candidate.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                grants.add(leadership);
            }
        });
        if (start) {
            candidate.start();
        }
        return candidate;
    }

    private EtcdKv admin() {
        return new EtcdKv(new EtcdHttp(EtcdBackendSettings.of(etcd.endpoints())), Duration.ofSeconds(2));
    }

    private static long leaders(List<? extends Election> candidates) {
        return candidates.stream().filter(Election::isLeader).count();
    }

    @Test
    void aCandidateWhoseLeaseExpiredWhileWaitingNeverLeadsOnTheDeadLease() throws Exception {
        etcd = EtcdCluster.start(1);
        EtcdElection a = candidate("a", true);
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        EtcdElection b = candidate("b", true);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent() && b.key() != null);
        String deadKey = b.key();
        long deadRevision = admin().range(election("")).kvs().stream().filter(kv -> kv.key().equals(deadKey))
                .findFirst().orElseThrow().createRevision();

        // b stops renewing while it waits for a: etcd expires its lease and deletes its key.
        b.sharedLease().pausedLease = b.leaseId();
        await().atMost(LEASE.multipliedBy(3)).until(() -> admin().range(election("")).kvs().stream()
                .noneMatch(kv -> kv.key().equals(deadKey)));
        a.close();

        await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
        Leadership term = b.leadership().orElseThrow();
        assertThat(grants).filteredOn(l -> l.candidateId().equals("b")).extracting(Leadership::fencingToken)
                .as("b's grants; its dead key had create revision %d", deadRevision)
                .allMatch(token -> token > deadRevision);
        EtcdKv.Kv live = admin().range(election("")).kvs().stream().filter(kv -> kv.key().equals(b.key()))
                .findFirst().orElseThrow();
        assertThat(live.createRevision()).isEqualTo(term.fencingToken());
        assertThat(b.key()).isNotEqualTo(deadKey);
    }

    @Test
    void aLeaderCutOffFromEtcdStopsBelievingBeforeTheNextIsGranted() throws Exception {
        etcd = EtcdCluster.start(1);
        EtcdElection a = candidate("a", true);
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        EtcdElection b = candidate("b", true);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent());
        AtomicLong aRevoked = new AtomicLong();
        AtomicLong bGranted = new AtomicLong();
        a.addListener(new ElectionListener() {
            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                aRevoked.compareAndSet(0, System.nanoTime());
            }
        });
        b.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                bGranted.compareAndSet(0, System.nanoTime());
            }
        });

        // a's keep-alives stop reaching etcd, as in a partition; etcd expires its lease and b takes over.
        a.sharedLease().pausedLease = a.leaseId();
        await().atMost(LEASE.multipliedBy(3)).until(b::isLeader);
        assertThat(a.isLeader()).isFalse();
        await().atMost(Duration.ofSeconds(1)).until(() -> aRevoked.get() != 0 && bGranted.get() != 0);
        assertThat(aRevoked.get()).as("a's revoke precedes b's grant").isLessThan(bGranted.get());
    }

    @Test
    void aDeletionDuringTheFollowersStepIsHeardDespiteACompaction() throws Exception {
        etcd = EtcdCluster.start(1);
        EtcdElection a = candidate("a", true);
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        long firstToken = a.leadership().orElseThrow().fencingToken();

        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        EtcdElection b = candidate("b", false);
        // Hold b at the end of the step that found it behind a: a's deletion and a compaction past
        // it happen while b's lane is busy, and b must still learn of the deletion.
        b.afterFollowing = () -> {
            if (once.compareAndSet(false, true)) {
                waiting.countDown();
                try {
                    proceed.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        b.start();
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
        a.close();
        EtcdKv admin = admin();
        for (int i = 0; i < 5; i++) {
            admin.createIfAbsent(election("filler-" + i), "x", admin.grant(10).id());
        }
        long head = admin.range(election("")).revision();
        admin.http().post("/v3/kv/compaction", "{\"revision\":\"" + head + "\",\"physical\":true}", Duration.ofSeconds(2));
        proceed.countDown();

        // The fillers were created after b's key, so b is first once a is gone.
        await().atMost(Duration.ofSeconds(3)).until(b::isLeader);
        assertThat(b.leadership().orElseThrow().fencingToken()).isGreaterThan(firstToken);
    }

    @Test
    void etcdKilledWhileLeadingRevokesByTheDeadlineAndOneLeadsWhenItIsBack() throws Exception {
        etcd = EtcdCluster.start(1);
        List<EtcdElection> candidates = List.of(candidate("a", true), candidate("b", true), candidate("c", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(candidates) == 1);

        etcd.kill9(0);
        long killed = System.nanoTime();
        await().atMost(LEASE.plus(Duration.ofMillis(500))).until(() -> leaders(candidates) == 0);
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThanOrEqualTo(LEASE);
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> leaders(candidates) == 0);
        assertThat(candidates).noneMatch(c -> c.state() == ElectionState.LEADER);

        etcd.restart(0);
        await().atMost(LEASE.multipliedBy(4)).until(() -> leaders(candidates) == 1);
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> leaders(candidates) == 1);
    }

    @Test
    void aClusterThatLosesQuorumLeavesNobodyLeadingUntilQuorumIsBack() throws Exception {
        etcd = EtcdCluster.start(3);
        List<EtcdElection> candidates = List.of(candidate("a", true), candidate("b", true), candidate("c", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> leaders(candidates) == 1);

        etcd.kill9(1);
        etcd.kill9(2);
        // A raft leader keeps answering keep-alives on its own until check-quorum makes it step
        // down; those acknowledgements are genuine (etcd extends every lease on a leader change),
        // so the deadline runs from the last of them. Check-quorum looks once per election
        // timeout (1 s) at whether each peer was heard since the last look: peers killed just
        // after a look were heard before it ended, so the leader steps down at the look after,
        // up to two election timeouts after the kill.
        await().atMost(LEASE.plus(ELECTION_TIMEOUT.multipliedBy(2)).plus(Duration.ofMillis(500))).until(() -> leaders(candidates) == 0);
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> leaders(candidates) == 0);

        etcd.restart(1);
        await().atMost(LEASE.multipliedBy(4)).until(() -> leaders(candidates) == 1);
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> leaders(candidates) == 1);
    }

    private String election(String suffix) {
        return EtcdBackendSettings.DEFAULT_PREFIX + election + "/" + suffix;
    }
}
