package dev.leader.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.LoopbackProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One member stops serving while the rest of the cluster is fine: paused (SIGSTOP, as a hung or
 * black-holed host), a watch connection gone silent, or a learner that refuses streaming calls.
 * Candidates are given every member's URL and must carry on through the others: a follower must
 * not wait forever on a dead watch while its lease lives on through another member, and a
 * leader must not lose its term to one member's bad answers.
 */
class EtcdMemberFailureTest {

    private static final Duration LEASE = Duration.ofSeconds(2);

    /** A generous bound for "about a lease" on a loaded 2-core machine; a wait, not a measurement. */
    private static final Duration ABOUT_A_LEASE = LEASE.multipliedBy(4);

    private final List<EtcdElectionBackend> backends = new ArrayList<>();

    private final List<String> revocations = new CopyOnWriteArrayList<>();

    private final String election = "member-" + UUID.randomUUID().toString().substring(0, 8);

    private EtcdCluster etcd;

    private LoopbackProxy proxy;

    @AfterEach
    void stopAll() throws Exception {
        for (EtcdElectionBackend backend : backends) {
            backend.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void aFollowerWhoseWatchMemberIsPausedLeadsWhenTheLeaderCloses() throws Exception {
        etcd = EtcdCluster.start(3);
        int quiet = aRaftFollower();
        EtcdElection a = leaderAvoiding(quiet);
        EtcdElection b = candidate("b", startingAt(quiet), UnaryOperator.identity());
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent() && b.watching());

        etcd.pause(quiet);
        a.close();

        await().atMost(ABOUT_A_LEASE).until(b::isLeader);
    }

    @Test
    void aFollowerWhoseWatchMemberIsPausedLeadsWhenTheLeadersLeaseExpires() throws Exception {
        etcd = EtcdCluster.start(3);
        int quiet = aRaftFollower();
        EtcdElection a = leaderAvoiding(quiet);
        EtcdElection b = candidate("b", startingAt(quiet), UnaryOperator.identity());
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent() && b.watching());

        etcd.pause(quiet);
        // a goes silent as a crashed process does: etcd expires its lease and deletes its key.
        a.sharedLease().pausedLease = a.leaseId();

        await().atMost(LEASE.plus(ABOUT_A_LEASE)).until(b::isLeader);
        assertThat(a.isLeader()).isFalse();
    }

    @Test
    void aFollowerWhoseMemberPausesAsItOpensItsWatchLeadsWhenTheLeaderCloses() throws Exception {
        etcd = EtcdCluster.start(3);
        int quiet = aRaftFollower();
        EtcdElection a = leaderAvoiding(quiet);
        CountDownLatch paused = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        EtcdElection b = candidate("b", startingAt(quiet), UnaryOperator.identity(), false);
        // b has read the election through the member; the member stops before b's step ends.
        b.afterFollowing = () -> {
            if (once.compareAndSet(false, true)) {
                try {
                    etcd.pause(quiet);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                paused.countDown();
            }
        };
        b.start();
        assertThat(paused.await(10, TimeUnit.SECONDS)).as("b found itself behind a").isTrue();

        a.close();

        await().atMost(ABOUT_A_LEASE).until(b::isLeader);
    }

    @Test
    void aFollowerWhoseWatchConnectionFallsSilentLeadsWhenTheLeaderCloses() throws Exception {
        LeaderAndFollower pair = leaderAndProxiedFollower();
        EtcdElection a = pair.leader();
        EtcdElection b = pair.follower();

        proxy.silenceConnectionsThatSent("POST /v3/watch ");
        a.close();

        await().atMost(ABOUT_A_LEASE).until(b::isLeader);
    }

    /**
     * The backend's one watch stream breaks while the leader closes, and etcd compacts past the
     * revision it would resume from: the stream opens again from now, and every follower reads
     * again.
     */
    @Test
    void aFollowerLeadsWhenItsWatchResumesPastACompactedRevision() throws Exception {
        LeaderAndFollower pair = leaderAndProxiedFollower();
        EtcdElection a = pair.leader();
        EtcdElection b = pair.follower();

        proxy.silenceConnectionsThatSent("POST /v3/watch ");
        a.close();
        EtcdKv admin = new EtcdKv(new EtcdHttp(EtcdBackendSettings.of(etcd.endpoints())), Duration.ofSeconds(2));
        // A change after a's deletion, so that compacting at the head takes the deletion's revision too.
        admin.createIfAbsent("/elsewhere/filler", "x", admin.grant(10).id());
        long head = admin.range("/elsewhere/").revision();
        admin.http().post("/v3/kv/compaction", "{\"revision\":\"" + head + "\",\"physical\":true}", Duration.ofSeconds(2));

        await().atMost(ABOUT_A_LEASE).until(b::isLeader);
    }

    @Test
    void aLeaderWhoseKeepAliveMemberIsPausedKeepsItsTermThroughAnother() throws Exception {
        etcd = EtcdCluster.start(3);
        int quiet = aRaftFollower();
        EtcdElection a = candidate("a", startingAt(quiet), UnaryOperator.identity());
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        long token = a.leadership().orElseThrow().fencingToken();

        etcd.pause(quiet);

        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3))
                .until(() -> a.leadership().filter(term -> term.fencingToken() == token).isPresent() && a.isLeader());
        assertThat(revocations).isEmpty();
    }

    @Test
    void aLeaderWhoseKeepAlivesFailOverToALearnerMovesOnAndKeepsItsTerm() throws Exception {
        etcd = EtcdCluster.start(3);
        int learner = etcd.addLearner();
        int quiet = aRaftFollower();
        List<URI> endpoints = new ArrayList<>(startingAt(quiet));
        endpoints.remove(etcd.endpoint(learner));
        endpoints.add(1, etcd.endpoint(learner));
        EtcdElection a = candidate("a", endpoints, UnaryOperator.identity());
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        long token = a.leadership().orElseThrow().fencingToken();

        // a's keep-alives time out on the paused member and go on to the learner, which refuses
        // them ("rpc not supported for learner", gRPC UNAVAILABLE): a must go on to the next.
        etcd.pause(quiet);

        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3))
                .until(() -> a.leadership().filter(term -> term.fencingToken() == token).isPresent() && a.isLeader());
        assertThat(revocations).isEmpty();
    }

    /** A member that is not the raft leader, so pausing it does not start a raft election. */
    private int aRaftFollower() {
        return (etcd.raftLeader() + 1) % 3;
    }

    /** Starts candidate "a" on the members other than {@code avoided} and waits until it leads. */
    private EtcdElection leaderAvoiding(int avoided) {
        List<URI> others = new ArrayList<>(startingAt((avoided + 1) % 3));
        others.remove(etcd.endpoint(avoided));
        EtcdElection a = candidate("a", others, UnaryOperator.identity());
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        return a;
    }

    /** Every member's URL, {@code first} first: a client's first calls go to the first URL. */
    private List<URI> startingAt(int first) {
        List<URI> endpoints = new ArrayList<>(etcd.endpoints());
        Collections.rotate(endpoints, -first);
        return endpoints;
    }

    private EtcdElection candidate(String id, List<URI> endpoints, UnaryOperator<EtcdBackendSettings> tuning) {
        return candidate(id, endpoints, tuning, true);
    }

    private EtcdElection candidate(String id, List<URI> endpoints, UnaryOperator<EtcdBackendSettings> tuning, boolean start) {
        EtcdElectionBackend backend = new EtcdElectionBackend(tuning.apply(EtcdBackendSettings.of(endpoints).withLeaseDuration(LEASE)));
        backends.add(backend);
        EtcdElection candidate = (EtcdElection) backend.election(election, id);
        candidate.addListener(new ElectionListener() {
            @Override
            public void revoked(Leadership leadership, RevokeReason reason) {
                if (reason != RevokeReason.CLOSED) {
                    revocations.add(id + ": " + reason);
                }
            }
        });
        if (start) {
            candidate.start();
        }
        return candidate;
    }

    private record LeaderAndFollower(EtcdElection leader, EtcdElection follower) {
    }

    /**
     * One member that sends watch progress every 500 ms: a leads, talking to it directly; b
     * follows, watching, through the proxy (its keep-alives get through as long as the proxy
     * passes them) and takes a watch silent for three progress intervals for dead.
     */
    private LeaderAndFollower leaderAndProxiedFollower() throws Exception {
        Duration progress = Duration.ofMillis(500);
        etcd = EtcdCluster.builder(1).options("--experimental-watch-progress-notify-interval", progress.toMillis() + "ms").start();
        proxy = LoopbackProxy.to(etcd.endpoint(0).getPort());
        EtcdElection a = candidate("a", etcd.endpoints(), UnaryOperator.identity());
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        EtcdElection b = candidate("b", List.of(URI.create("http://127.0.0.1:" + proxy.port())), settings -> settings.withWatchProgressInterval(progress));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent() && b.watching());
        return new LeaderAndFollower(a, b);
    }
}
