package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import dev.leader.election.Election;
import dev.leader.election.ElectionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The election rules the contract does not cover, with backends of this JVM on {@code lo}. */
class LanElectionRulesTest {

    private static final Duration LEASE = Duration.ofSeconds(1);

    private final int port = LoopbackMulticast.randomPort();

    private final String name = "rules-" + UUID.randomUUID().toString().substring(0, 8);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void enableMulticastOnLoopback() throws Exception {
        LoopbackMulticast.enable();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Election start(String id, int priority, int quorum) {
        LanElectionBackend backend = new LanElectionBackend(LoopbackMulticast.settings(port, "rules")
                .lease(LEASE).priority(priority).quorum(quorum).build());
        resources.add(backend);
        Election election = backend.election(name, id);
        election.start();
        return election;
    }

    @Test
    void priorityRanksBeforeTheCandidateId() {
        Election a = start("a", 0, 0);
        Election b = start("b", 5, 0);
        await().atMost(LEASE.multipliedBy(3)).until(b::isLeader);
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> b.isLeader() && !a.isLeader());
    }

    @Test
    void aBetterRankedNewcomerDoesNotUnseatTheLeader() {
        Election b = start("b", 0, 0);
        await().atMost(LEASE.multipliedBy(3)).until(b::isLeader);
        long token = b.leadership().orElseThrow().fencingToken();
        Election a = start("a", 9, 0);
        await().atMost(LEASE.multipliedBy(2)).until(() -> a.leaderId().filter("b"::equals).isPresent());
        await().during(LEASE).atMost(LEASE.multipliedBy(2))
                .until(() -> b.isLeader() && !a.isLeader() && b.leadership().orElseThrow().fencingToken() == token);
    }

    @Test
    void withAQuorumALonePeerNeverLeads() {
        Election a = start("a", 0, 3);
        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3))
                .until(() -> !a.isLeader() && a.state() == ElectionState.FOLLOWER);
        Election b = start("b", 0, 3);
        await().atMost(LEASE.multipliedBy(3)).until(a::isLeader);
        assertThat(b.isLeader()).isFalse();
        // Back to a minority: the leader stops believing within the lease.
        b.close();
        await().atMost(LEASE.plusMillis(500)).until(() -> !a.isLeader());
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> !a.isLeader());
    }

    @Test
    void aPeerStillListeningIsPassedOverInAHandOff() {
        Election b = start("b", 0, 0);
        Election c = start("c", 0, 0);
        await().atMost(LEASE.multipliedBy(3)).until(() -> b.isLeader() && c.leaderId().filter("b"::equals).isPresent());
        // "a" ranks first but listens for a heartbeat interval before it may claim (a JVM just
        // started); the others know it, and must not wait for it when the leader resigns.
        Election a = start("a", 0, 0);
        await().atMost(LEASE).until(() -> ((LanElection) c).livePeers().contains("a"));
        b.close();
        // Who leads is the claim; the bounds leave room for a loaded machine (a flake at 1 s).
        await().atMost(LEASE.multipliedBy(3)).until(c::isLeader);
        await().atMost(LEASE.multipliedBy(3)).until(() -> a.leaderId().filter("c"::equals).isPresent());
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> c.isLeader() && !a.isLeader());
    }
}
