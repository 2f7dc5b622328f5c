package dev.leader.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.EventLog;
import dev.leader.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis-specific behaviour, each test on a redis-server of its own. */
class RedisElectionTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    private RedisServer server;

    private final List<ElectionBackend> backends = new ArrayList<>();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final EventLog events = new EventLog();

    private final String name = "e-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void stop() throws Exception {
        for (ElectionBackend backend : backends) {
            backend.close();
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Election candidate(String id, Duration lease) {
        return candidate(id, RedisBackendSettings.of(lease));
    }

    private Election candidate(String id, RedisBackendSettings settings) {
        RedisElectionBackend backend = new RedisElectionBackend(RedisURI.create(server.url()), settings);
        backends.add(backend);
        Election election = backend.election(name, id);
        election.addListener(events.listenerFor(id));
        election.start();
        return election;
    }

    private RedisCommands<String, String> admin() {
        RedisClient client = RedisClient.create(RedisURI.create(server.url()));
        StatefulRedisConnection<String, String> connection = client.connect();
        closeables.add(client::shutdown);
        closeables.add(0, connection);
        return connection.sync();
    }

    @Test
    void aStaleTermCanNeitherRenewNorReleaseTheNextTermsLease() throws Exception {
        server = RedisServer.start();
        RedisClient client = RedisClient.create(RedisURI.create(server.url()));
        closeables.add(client::shutdown);
        StatefulRedisConnection<String, String> connection = client.connect();
        closeables.add(0, connection);
        var async = connection.async();
        var sync = connection.sync();
        ElectionKeys keys = ElectionKeys.of("leader:", name, 0);
        LeaseOwner a = LeaseOwner.next("a");
        LeaseOwner b = LeaseOwner.next("b");
        sync.set(keys.server(), runId(sync.info("server"))); // a server that has vouched for the election before

        long first = RedisScripts.asLong(RedisScripts.acquire(async, keys, a, 60_000).get().get(1));
        sync.del(keys.lease()); // a's lease ran out while a was paused
        List<Object> second = RedisScripts.acquire(async, keys, b, 5_000).get();
        assertThat(RedisScripts.asLong(second.get(0))).isEqualTo(RedisScripts.GRANTED);
        assertThat(RedisScripts.asLong(second.get(1))).isGreaterThan(first);

        Object lateRenew = renew(async, keys, a, first);
        List<Object> lateRelease = RedisScripts.release(async, keys, a, first).get();

        assertThat(RedisScripts.renewed(lateRenew)).isFalse();
        assertThat(lateRenew).isEqualTo(b.value());
        assertThat(RedisScripts.asLong(lateRelease.get(0))).isZero();
        assertThat(sync.get(keys.lease())).isEqualTo(b.value());
        assertThat(sync.pttl(keys.lease())).isBetween(1L, 5_000L);

        // The same candidate in a later term: its earlier term's commands are stale too.
        sync.del(keys.lease());
        long third = RedisScripts.asLong(RedisScripts.acquire(async, keys, a, 5_000).get().get(1));
        assertThat(third).isGreaterThan(RedisScripts.asLong(second.get(1)));
        assertThat(RedisScripts.renewed(renew(async, keys, a, first))).isFalse();
        assertThat(RedisScripts.asLong(RedisScripts.release(async, keys, a, first).get().get(0))).isZero();
        assertThat(sync.pttl(keys.lease())).isBetween(1L, 5_000L);
        // Another incarnation of the same candidate id is not the owner either.
        LeaseOwner twin = LeaseOwner.next("a");
        assertThat(RedisScripts.asLong(RedisScripts.acquire(async, keys, twin, 5_000).get().get(0))).isEqualTo(RedisScripts.HELD);
        assertThat(RedisScripts.renewed(renew(async, keys, twin, third))).isFalse();
        assertThat(RedisScripts.asLong(RedisScripts.release(async, keys, twin, third).get().get(0))).isZero();
        assertThat(RedisScripts.asLong(RedisScripts.release(async, keys, a, third).get().get(0))).isEqualTo(1);
        assertThat(sync.exists(keys.lease())).isZero();
    }

    @Test
    void tokensNeverGoBelowTheServersClockAndAServerThatCannotVouchHoldsTheLeaseBack() throws Exception {
        server = RedisServer.start();
        RedisClient client = RedisClient.create(RedisURI.create(server.url()));
        closeables.add(client::shutdown);
        StatefulRedisConnection<String, String> connection = client.connect();
        closeables.add(0, connection);
        var async = connection.async();
        var sync = connection.sync();
        ElectionKeys keys = ElectionKeys.of("leader:", name, 0);
        LeaseOwner a = LeaseOwner.next("a");

        // Just started, nothing known of the election: held back until a lease after the start.
        List<Object> heldBack = RedisScripts.acquire(async, keys, a, 60_000).get();
        assertThat(RedisScripts.asLong(heldBack.get(0))).isEqualTo(RedisScripts.HELD_BACK);
        assertThat(RedisScripts.asLong(heldBack.get(1))).isBetween(50_000L, 60_000L);
        assertThat(sync.get(keys.lease())).isEmpty();
        assertThat(RedisScripts.asLong(RedisScripts.acquire(async, keys, a, 60_000).get().get(0))).isEqualTo(RedisScripts.HELD);

        sync.del(keys.lease());
        sync.set(keys.epoch(), "7"); // an epoch from before the clock floor
        long before = micros(sync.time());
        long token = RedisScripts.asLong(RedisScripts.acquire(async, keys, a, 60_000).get().get(1));
        assertThat(token).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(micros(sync.time()));

        // Stamped by another run (a restore, a failover): a whole lease, however long this one is up.
        sync.del(keys.lease());
        sync.set(keys.server(), "0123456789abcdef0123456789abcdef01234567");
        List<Object> restored = RedisScripts.acquire(async, keys, a, 5_000).get();
        assertThat(RedisScripts.asLong(restored.get(0))).isEqualTo(RedisScripts.HELD_BACK);
        assertThat(RedisScripts.asLong(restored.get(1))).isEqualTo(5_000L);
        assertThat(sync.get(keys.server())).isEqualTo(runId(sync.info("server")));
    }

    private static String runId(String info) {
        int at = info.indexOf("run_id:") + "run_id:".length();
        return info.substring(at, at + 40);
    }

    private static long micros(List<String> time) {
        return Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
    }

    @Test
    void scriptsAreLoadedAgainAfterScriptFlush() throws Exception {
        server = RedisServer.start();
        Election a = candidate("a", LEASE);
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        admin().scriptFlush();
        // Renewals keep succeeding: a stays leader across several lease periods.
        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3)).until(a::isLeader);
    }

    @Test
    void aLeaderWhoseLeaseWasTakenIsPreemptedAtItsNextRenewalAndDoesNotExtendTheNewLease() throws Exception {
        server = RedisServer.start();
        Election a = candidate("a", LEASE);
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        Election b = candidate("b", LEASE);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().filter("a"::equals).isPresent());
        long firstToken = a.leadership().orElseThrow().fencingToken();
        RedisCommands<String, String> admin = admin();
        String lease = ElectionKeys.of("leader:", name, 0).lease();

        admin.psetex(lease, 5_000, "intruder"); // another owner, as after a lost write or a split
        long planted = System.nanoTime(); // after the server set the expiry: the bound below holds under load

        await().atMost(LEASE.dividedBy(2)).until(() -> !a.isLeader());
        assertThat(events.entries()).anySatisfy(e -> {
            assertThat(e.candidateId()).isEqualTo("a");
            assertThat(e.kind()).isEqualTo(EventLog.Kind.REVOKED);
            assertThat(e.detail()).isEqualTo("PREEMPTED");
        });
        await().atMost(LEASE).until(() -> a.leaderId().filter("intruder"::equals).isPresent());
        // A renewal by a would have cut the TTL to a's lease (1 s); it only ran down.
        await().pollDelay(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> true);
        long elapsed = Duration.ofNanos(System.nanoTime() - planted).toMillis();
        assertThat(admin.pttl(lease)).as("nobody touched the intruder's lease").isBetween(1_001L, 5_000L - elapsed + 20);
        assertThat(admin.get(lease)).isEqualTo("intruder");
        // Once the intruder's lease is gone, one of the two takes over with a higher token.
        admin.del(lease);
        await().atMost(Duration.ofSeconds(3)).until(() -> a.isLeader() ^ b.isLeader());
        Election next = a.isLeader() ? a : b;
        assertThat(next.leadership().orElseThrow().fencingToken()).isGreaterThan(firstToken);
    }

    @Test
    void redisKilledWhileLeadingRevokesByTheDeadlineAndAfterARestartOneLeaderWithAHigherToken() throws Exception {
        server = RedisServer.builder().appendOnly().start();
        Election a = candidate("a", LEASE);
        Election b = candidate("b", LEASE);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.isLeader() ^ b.isLeader());
        // A few terms, so that the epoch is well past its seed.
        for (int i = 0; i < 3; i++) {
            Election leader = a.isLeader() ? a : b;
            leader.yieldLeadership();
            await().atMost(Duration.ofSeconds(3)).until(() -> a.isLeader() ^ b.isLeader());
        }
        Election leader = a.isLeader() ? a : b;
        long before = leader.leadership().orElseThrow().fencingToken();

        long killed = System.nanoTime();
        server.kill9();
        await().atMost(LEASE.plusMillis(200)).until(() -> !a.isLeader() && !b.isLeader());
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(LEASE.plusMillis(200));
        assertThat(events.of(EventLog.Kind.REVOKED)).anySatisfy(e -> assertThat(e.detail()).isEqualTo("LEASE_EXPIRED"));
        assertThat(backends.get(0).status().reachable()).isFalse();

        server.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() ^ b.isLeader());
        Election after = a.isLeader() ? a : b;
        assertThat(after.leadership().orElseThrow().fencingToken()).isGreaterThan(before);
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> a.isLeader() ^ b.isLeader());
    }

    @Test
    void followersAtRestSendNothing() throws Exception {
        // A server with notifications off: the backend turns them on, as its settings allow.
        server = RedisServer.start();
        Duration lease = Duration.ofSeconds(3);
        RedisBackendSettings settings = RedisBackendSettings.of(lease).withEnableExpiryNotifications(true);
        Election leader = candidate("leader", settings);
        await().atMost(Duration.ofSeconds(5)).until(leader::isLeader);
        List<Election> followers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            followers.add(candidate("f" + i, settings));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> followers.stream()
                .allMatch(f -> f.leaderId().filter("leader"::equals).isPresent()));
        // Followers learned the notifications are on and their first PTTL wait has passed.
        await().pollDelay(lease).atMost(lease.multipliedBy(2)).until(() -> true);
        RedisCommands<String, String> admin = admin();
        assertThat(admin.configGet("notify-keyspace-events").values()).singleElement().asString().contains("K").contains("x");
        admin.configResetstat();

        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(leader::isLeader);

        Map<String, Long> calls = commandCalls(admin.info("commandstats"));
        long renewals = 10_000 / lease.dividedBy(3).toMillis();
        // Commands run inside scripts count too: a renewal is EVALSHA + MGET + PEXPIRE + INFO; a
        // follower's read would show up as an extra EVALSHA with GET and PTTL.
        long scripts = calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L);
        assertThat(scripts).as("script calls in 10 s: only the leader's renewals (%s), %s", renewals, calls)
                .isBetween(renewals - 1, renewals + 1);
        assertThat(calls.getOrDefault("pexpire", 0L)).as("renewals, %s", calls).isEqualTo(scripts);
        assertThat(calls.getOrDefault("mget", 0L)).as("lease, epoch and server stamp per renewal, %s", calls).isEqualTo(scripts);
        assertThat(calls.getOrDefault("info", 0L)).as("the server's run id per renewal, %s", calls).isEqualTo(scripts);
        assertThat(calls).as("no follower reads").doesNotContainKeys("pttl", "incr", "set", "exists", "ttl");
        assertThat(followers).allMatch(f -> !f.isLeader());

        // And the notification wakes them: close the leader, one follower takes over at once.
        leader.close();
        await().atMost(Duration.ofMillis(500)).until(() -> followers.stream().filter(Election::isLeader).count() == 1);
    }

    @Test
    void aBackendMadeWhileRedisIsDownCampaignsOnceRedisIsUp() throws Exception {
        server = RedisServer.start();
        server.kill9();
        Election a = candidate("a", LEASE);
        assertThat(a.isLeader()).isFalse();
        assertThat(backends.get(0).status().reachable()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> backends.get(0).status().lastError() != null);

        server.restart();

        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        assertThat(backends.get(0).status().reachable()).isTrue();
    }

    @Test
    void electsThroughSentinel() throws Exception {
        server = RedisServer.start();
        RedisServer sentinel = RedisServer.builder().sentinelOf(server).start();
        closeables.add(sentinel);
        String url = "redis-sentinel://127.0.0.1:" + sentinel.port() + "#mymaster";
        List<Election> candidates = new ArrayList<>();
        for (String id : List.of("a", "b")) {
            RedisElectionBackend backend = RedisElectionBackend.fromUrl(url, RedisBackendSettings.of(LEASE));
            backends.add(backend);
            Election election = backend.election(name, id);
            election.addListener(events.listenerFor(id));
            election.start();
            candidates.add(election);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        Election first = candidates.stream().filter(Election::isLeader).findFirst().orElseThrow();
        Election second = candidates.get(0) == first ? candidates.get(1) : candidates.get(0);
        first.close();
        await().atMost(LEASE.dividedBy(2)).until(second::isLeader);
        assertThat(LeaseOwner.parse(admin().get(ElectionKeys.of("leader:", name, 0).lease())).candidateId())
                .isEqualTo(second.candidateId());
    }

    static Map<String, Long> commandCalls(String info) {
        Map<String, Long> calls = new java.util.TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String command = line.substring("cmdstat_".length(), line.indexOf(':'));
                String stats = line.substring(line.indexOf(':') + 1);
                for (String part : stats.split(",")) {
                    if (part.startsWith("calls=")) {
                        calls.put(command, Long.parseLong(part.substring("calls=".length())));
                    }
                }
            }
        }
        return calls;
    }


    /** One lease renewed by the batch script for a minute: 1, or the holder it found. */
    private static Object renew(RedisClusterAsyncCommands<String, String> async, ElectionKeys keys, LeaseOwner owner, long epoch)
            throws Exception {
        return RedisScripts.renewAll(async, List.of(keys), List.of(owner.value()), List.of(epoch), 60_000).get().get(0);
    }
}
