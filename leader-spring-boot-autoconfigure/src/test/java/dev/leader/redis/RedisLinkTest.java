package dev.leader.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import dev.leader.election.Election;
import dev.leader.testsupport.BridgedNamespaces;
import dev.leader.testsupport.LoopbackProxy;
import dev.leader.testsupport.Placement;
import dev.leader.testsupport.RedisServer;
import dev.leader.testsupport.Shell;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The links to Redis: re-subscribed after a reconnect, and a silently dropped one found out. */
class RedisLinkTest {

    static final long LEASE_MS = 2_000;

    static final Duration LEASE = Duration.ofMillis(LEASE_MS);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void anElectionOpenedWhileThePubSubLinkReconnectsIsSubscribedOnceRedisIsBack() throws Exception {
        RedisServer server = track(RedisServer.start());
        RedisElectionBackend backend = track(new RedisElectionBackend(RedisURI.create(server.url()),
                RedisBackendSettings.of(LEASE)));
        Election early = backend.election("early", "a");
        early.start();
        await().atMost(Duration.ofSeconds(10)).until(early::isLeader);

        server.kill9();
        await().atMost(Duration.ofSeconds(5)).until(() -> !backend.status().reachable());
        Election late = backend.election("late", "a");
        late.start();
        server.restart();

        RedisCommands<String, String> admin = admin(server.url());
        // One link subscribes the backend's two patterns, which cover every election's channels:
        // a PUBLISH counts the clients it reached (a message other than "released" wakes nobody).
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.pubsubNumpat() == 2);
        for (String election : List.of("early", "late")) {
            ElectionKeys keys = ElectionKeys.of(RedisBackendSettings.DEFAULT_KEY_PREFIX, election, 0);
            assertThat(admin.publish(keys.channel(), "ping")).as(keys.channel()).isEqualTo(1);
            assertThat(admin.publish(keys.keyspaceChannel(), "ping")).as(keys.keyspaceChannel()).isEqualTo(1);
        }
        assertThat(admin.pubsubChannels()).as("no channel per election").isEmpty();
    }

    /**
     * The leader's link is black-holed (its bytes are swallowed, nothing is closed), as a dead
     * NAT entry or a failed-over address does: its renewals time out. It stops believing by its
     * deadline, before the successor is granted; it finds out that the link is dead (no answer
     * for a lease) and, once the network lets new connections through, reconnects on its own
     * (the black-holed connections stay dead: only a new one helps).
     */
    @Test
    void aLeaderWhoseLinkWentSilentStopsBelievingBeforeItsSuccessorIsGrantedAndReconnectsByItself() throws Exception {
        RedisServer server = track(RedisServer.start());
        LoopbackProxy forwarder = track(LoopbackProxy.to(server.port()));
        CandidateProcess leader = track(CandidateProcess.start("redis://127.0.0.1:" + forwarder.port(), "silent", "leader", LEASE_MS));
        await().atMost(Duration.ofSeconds(30)).until(() -> leader.count("DEADLINE") >= 3);
        RedisElectionBackend backend = track(new RedisElectionBackend(RedisURI.create(server.url()),
                RedisBackendSettings.of(LEASE)));
        Election successor = backend.election("silent", "successor");
        successor.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> successor.leaderId().filter("leader"::equals).isPresent());

        forwarder.cut();
        long silentAt = System.currentTimeMillis();

        await().atMost(LEASE.multipliedBy(3)).until(successor::isLeader);
        long grantedAt = successor.leadership().orElseThrow().grantedAt().toEpochMilli();
        System.out.println("silent at " + silentAt + ", successor granted at " + grantedAt + "; leader: " + leader.lines());
        assertThat(leader.lastDeadline()).as("the leader stopped believing before its successor was granted")
                .isLessThan(grantedAt);
        await().atMost(LEASE.multipliedBy(5)).until(() -> leader.first("REACHABLE false").isPresent());
        assertThat(leader.first("REACHABLE false").orElseThrow()).as("found out after the link went silent")
                .isGreaterThan(silentAt);
        forwarder.healNewConnections();
        await().atMost(Duration.ofSeconds(20)).until(() -> leader.lines().stream().anyMatch(l -> l.startsWith("LEADER successor"))
                && leader.count("REACHABLE true") == 2);
    }

    /**
     * An idle follower (keyspace notifications on, so it sends nothing for a minute) is cut off
     * at the network layer, in namespaces of the test's own: no segment and no reset arrives.
     * Only TCP keep-alive can find that out; the follower must notice well before its next read.
     */
    @Test
    void anIdleFollowerWhoseLinkIsCutFindsOutByKeepAlive() throws Exception {
        String unavailable = BridgedNamespaces.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, () -> "network namespace test skipped: " + unavailable);
        BridgedNamespaces lab = track(BridgedNamespaces.create("rds", "10.214.0", "10.214.0.1", "rds0", 1));
        RedisServer server = track(RedisServer.builder().placement(Placement.in(lab.inHub(), "10.214.0.1")).start());
        // A lease held by nobody who renews: the follower reads it once, then waits for notifications.
        Shell.must(List.of("ip", "netns", "exec", lab.hub(), RedisServer.CLI.toString(), "-h", "10.214.0.1", "-p",
                Integer.toString(server.port()), "set", ElectionKeys.of(RedisBackendSettings.DEFAULT_KEY_PREFIX, "idle", 0).lease(),
                "elsewhere#0", "px", "600000"));
        CandidateProcess follower = track(CandidateProcess.start(lab.inMember(0), server.url(), "idle", "follower", LEASE_MS,
                "notifications"));
        await().atMost(Duration.ofSeconds(30)).until(() -> follower.first("REACHABLE true").isPresent()
                && follower.lines().stream().anyMatch(l -> l.startsWith("LEADER elsewhere")));
        // Its first wait is on the lease's PTTL (capped at the lease); after it, nothing is sent.
        await().pollDelay(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3)).until(() -> true);

        lab.linkDown(0);
        long cutAt = System.currentTimeMillis();

        await().atMost(Duration.ofSeconds(25)).until(() -> follower.first("REACHABLE false").isPresent());
        System.out.println("cut at " + cutAt + "; follower: " + follower.lines());
        lab.linkUp(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> follower.count("REACHABLE true") == 2);
    }

    private RedisCommands<String, String> admin(String url) {
        RedisClient client = RedisClient.create(RedisURI.create(url));
        closeables.add(client::shutdown);
        return track(client.connect()).sync();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }
}
