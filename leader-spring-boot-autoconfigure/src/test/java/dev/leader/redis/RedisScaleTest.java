package dev.leader.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import dev.leader.testsupport.LoopbackProxy;
import dev.leader.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many elections on one backend (issue 20): one renewal call per interval serves all its
 * leaders, each still believing only until that call's send time + lease − margin; a renewal
 * refused for one election revokes that one only; a fixed number of threads and one pattern
 * subscription serve them all.
 */
class RedisScaleTest {

    private static final int ELECTIONS = 500;

    private static final Duration LEASE = Duration.ofSeconds(3);

    private static RedisServer server;

    private static RedisClient adminClient;

    private static StatefulRedisConnection<String, String> adminConnection;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private String prefix;

    @BeforeAll
    static void startServer() throws Exception {
        server = RedisServer.start();
        adminClient = RedisClient.create(RedisURI.create(server.url()));
        adminConnection = adminClient.connect();
    }

    @AfterAll
    static void stopServer() throws Exception {
        adminConnection.close();
        adminClient.shutdown();
        server.close();
    }

    @BeforeEach
    void prefix() throws Exception {
        if (server.isPaused()) {
            server.resume();
        }
        prefix = "scale-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @AfterEach
    void closeAll() throws Exception {
        if (server.isPaused()) {
            server.resume();
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void fiveHundredLeadersAreRenewedByOneCallPerIntervalOnAFewThreads() {
        long before = threadNames("leader-").size();
        List<String> earlier = threadNames("leader-redis");
        RedisElectionBackend backend = backend();
        List<Election> elections = leaders(backend, ELECTIONS);
        // Bounded wait: the threads of a backend an earlier test closed may still be ending.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> own = threadNames("leader-redis").stream().filter(name -> !earlier.contains(name)).toList();
            assertThat(own).as("the backend's own threads with %d elections", ELECTIONS).hasSizeLessThanOrEqualTo(3);
            assertThat(own).filteredOn(name -> name.startsWith("leader-redis-io"))
                    .as("one event loop for the connections and the elections' logic").hasSize(1);
        });
        assertThat(threadNames("leader-").size() - before).as("threads named leader-* added: %s", threadNames("leader-"))
                .isLessThan(ELECTIONS / 10);
        RedisCommands<String, String> admin = admin();
        assertThat(admin.pubsubNumpat()).as("one pattern per kind of message, not two channels per election").isEqualTo(2);
        assertThat(admin.pubsubChannels()).isEmpty();

        admin.configResetstat();
        Duration window = LEASE.dividedBy(3).multipliedBy(6);
        await().during(window).atMost(window.plusSeconds(1)).until(() -> elections.stream().allMatch(Election::isLeader));

        Map<String, Long> calls = commandCalls(admin.info("commandstats"));
        long scripts = calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L);
        // Six intervals: one call each (with slack for a tick at either edge); a call per leader
        // would be 3,000.
        assertThat(scripts).as("script calls in six renew intervals of %d leaders, %s", ELECTIONS, calls).isBetween(5L, 8L);
        assertThat(calls.getOrDefault("pexpire", 0L)).as("leases extended, %s", calls).isEqualTo(ELECTIONS * scripts);
        assertThat(calls.getOrDefault("info", 0L)).as("the server's run id, once per call, %s", calls).isEqualTo(scripts);
        assertThat(calls.getOrDefault("mget", 0L)).as("keys read per 100 leases, %s", calls).isEqualTo(5 * scripts);
        assertThat(calls).as("no read per lease, %s", calls).doesNotContainKey("get");
        assertThat(calls).as("no campaign reads at rest").doesNotContainKeys("pttl", "set", "del");
    }

    @Test
    void aRenewalRefusedForOneElectionRevokesThatOneAndRenewsTheOthers() {
        RedisElectionBackend backend = backend();
        Map<Election, List<RevokeReason>> revokes = new ConcurrentHashMap<>();
        List<Election> elections = new ArrayList<>();
        // More than one MGET's worth (100), so that the replies' order is checked across them.
        for (int i = 0; i < 250; i++) {
            Election election = backend.election(prefix + i, "a");
            List<RevokeReason> reasons = new ArrayList<>();
            revokes.put(election, reasons);
            election.addListener(new ElectionListener() {
                @Override
                public void revoked(Leadership leadership, RevokeReason reason) {
                    synchronized (reasons) {
                        reasons.add(reason);
                    }
                }
            });
            election.start();
            elections.add(election);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> elections.stream().allMatch(Election::isLeader));
        Election overwritten = elections.get(7);
        Election deleted = elections.get(223);
        long deletedToken = deleted.leadership().orElseThrow().fencingToken();
        RedisCommands<String, String> admin = admin();
        admin.psetex(keysOf(overwritten).lease(), 60_000, "intruder#0123456789abcdef");
        admin.del(keysOf(deleted).lease());

        await().atMost(LEASE).until(() -> !revokes.get(overwritten).isEmpty() && !revokes.get(deleted).isEmpty());
        assertThat(revokes.get(overwritten)).containsExactly(RevokeReason.PREEMPTED);
        assertThat(revokes.get(deleted)).containsExactly(RevokeReason.LEASE_EXPIRED);
        await().atMost(LEASE).until(() -> overwritten.leaderId().filter("intruder"::equals).isPresent());
        // The one whose key was gone wins it back, in a new term.
        await().atMost(LEASE).until(deleted::isLeader);
        assertThat(deleted.leadership().orElseThrow().fencingToken()).isGreaterThan(deletedToken);
        // The others were renewed all along, and still are.
        await().during(LEASE).atMost(LEASE.plusSeconds(1)).until(() -> elections.stream()
                .filter(e -> e != overwritten).allMatch(Election::isLeader));
        assertThat(elections).filteredOn(e -> e != overwritten && e != deleted)
                .allSatisfy(e -> assertThat(revokes.get(e)).as(e.name()).isEmpty());
    }

    @Test
    void everyLeaderStopsBelievingByItsDeadlineWhenRedisStops() throws Exception {
        RedisElectionBackend backend = backend();
        List<Election> elections = leaders(backend, 200);
        Map<Election, Long> tokens = new HashMap<>();
        elections.forEach(e -> tokens.put(e, e.leadership().orElseThrow().fencingToken()));

        server.pause();
        long stoppedAt = System.nanoTime();
        // No deadline lies beyond the stop + lease − margin: each comes from the send time of a
        // call sent before it.
        Duration believed = LEASE.minus(LeaseDeadline.defaultMargin(LEASE));
        for (Election election : elections) {
            Optional<Duration> remaining = election.leaseRemaining();
            assertThat(remaining.orElse(Duration.ZERO)).as(election.name()).isLessThanOrEqualTo(believed);
        }
        await().pollInterval(Duration.ofMillis(10)).atMost(LEASE.multipliedBy(2))
                .until(() -> elections.stream().noneMatch(Election::isLeader));
        Duration allOut = Duration.ofNanos(System.nanoTime() - stoppedAt);
        System.out.println("every leader stopped believing " + allOut.toMillis() + " ms after Redis stopped");
        assertThat(allOut).as("until nobody believes").isLessThanOrEqualTo(believed.plusMillis(250));

        server.resume();
        await().atMost(Duration.ofSeconds(60)).until(() -> elections.stream().allMatch(Election::isLeader));
        assertThat(elections).allSatisfy(e -> assertThat(e.leadership().orElseThrow().fencingToken())
                .isGreaterThan(tokens.get(e)));
    }

    /**
     * Without keyspace notifications, 300 followers of leaders on another backend read their
     * leases with one call per interval, not an acquire each per lease; a leader that stops
     * renewing (its backend's link cut) is still followed by a successor within a lease or so.
     */
    @Test
    void threeHundredFollowersReadTheirLeasesWithOneCallPerInterval() throws Exception {
        LoopbackProxy link = LoopbackProxy.to(server.port());
        closeables.add(link);
        RedisElectionBackend leaders = new RedisElectionBackend(RedisURI.create("redis://127.0.0.1:" + link.port()),
                RedisBackendSettings.of(LEASE));
        closeables.add(leaders);
        List<Election> led = leaders(leaders, 300);
        RedisElectionBackend backend = backend();
        List<Election> followers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Election follower = backend.election(prefix + i, "b");
            follower.start();
            followers.add(follower);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> followers.stream().allMatch(f -> f.leaderId().filter("a"::equals).isPresent()));
        // Settled: every follower read its lease once, and waits on the watch.
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.watch().size() == followers.size());
        RedisCommands<String, String> admin = admin();
        admin.configResetstat();
        Duration window = LEASE.dividedBy(3).multipliedBy(6);
        await().during(window).atMost(window.plusSeconds(1)).until(() -> led.stream().allMatch(Election::isLeader));

        Map<String, Long> calls = commandCalls(admin.info("commandstats"));
        long scripts = calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L);
        // Six intervals: a renewal call and a read call each; an acquire per follower per lease
        // would be about 600 more.
        assertThat(scripts).as("script calls in six renew intervals, %s", calls).isBetween(10L, 16L);
        assertThat(calls.getOrDefault("pttl", 0L)).as("leases read, %s", calls).isBetween(5L * 300, 8L * 300);

        // The leaders' link goes silent: no release, their leases run out on the server.
        link.cut();
        await().atMost(LEASE.multipliedBy(3)).until(() -> followers.stream().allMatch(Election::isLeader));
    }

    /**
     * Backends closed while they still connect (an application context closed right after it
     * started) leave none of their threads behind. Lettuce's client takes a reference to the
     * event loop when its first connect begins; one that began after the client's shutdown was
     * never given back, and the loop's thread outlived its backend.
     */
    @Test
    void backendsClosedWhileTheyConnectLeaveNoThreadBehind() {
        List<String> before = threadNames("leader-redis");
        for (int i = 0; i < 200; i++) {
            RedisElectionBackend backend = new RedisElectionBackend(RedisURI.create(server.url()), RedisBackendSettings.of(LEASE));
            // Not a wait for anything: the close lands at a different point of the connect each time.
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(5)));
            backend.close();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(threadNames("leader-redis"))
                .as("threads of 200 closed backends").isSubsetOf(before));
    }

    private List<Election> leaders(RedisElectionBackend backend, int count) {
        List<Election> elections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Election election = backend.election(prefix + i, "a");
            election.start();
            elections.add(election);
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(elections.stream().filter(Election::isLeader).count())
                .as("elections leading").isEqualTo(count));
        return elections;
    }

    private RedisElectionBackend backend() {
        RedisElectionBackend backend = new RedisElectionBackend(RedisURI.create(server.url()), RedisBackendSettings.of(LEASE));
        closeables.add(backend);
        return backend;
    }

    private static ElectionKeys keysOf(Election election) {
        return ElectionKeys.of(RedisBackendSettings.DEFAULT_KEY_PREFIX, election.name(), 0);
    }

    private static RedisCommands<String, String> admin() {
        return adminConnection.sync();
    }

    /** {@code cmdstat_<name>:calls=<n>,...} lines of {@code INFO commandstats}. */
    private static Map<String, Long> commandCalls(String info) {
        Map<String, Long> calls = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String count = line.substring(line.indexOf("calls=") + "calls=".length(), line.indexOf(','));
                calls.put(name, Long.parseLong(count));
            }
        }
        return calls;
    }

    private static List<String> threadNames(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).sorted().toList();
    }
}
