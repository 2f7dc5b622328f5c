package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.testsupport.ZooKeeperTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many elections on one backend cost a fixed number of threads (issue 20), and one election
 * whose step or listener is stuck holds up no other election's campaign.
 */
class ZooKeeperScaleTest {

    private static final int ELECTIONS = 500;

    /** Long enough that 500 leaders renewing on a busy machine do not lose their sessions. */
    private static final Duration SESSION = Duration.ofSeconds(10);

    private static ZooKeeperTestServer server;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final CountDownLatch release = new CountDownLatch(1);

    private String prefix;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ZooKeeperTestServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void prefix() {
        prefix = "scale-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void fiveHundredElectionsOnOneBackendLeadWithoutAThreadEach() {
        long before = leaderThreads();
        ZooKeeperElectionBackend backend = backend();
        List<Election> elections = new ArrayList<>();
        for (int i = 0; i < ELECTIONS; i++) {
            Election election = backend.election(prefix + i, "a");
            election.start();
            elections.add(election);
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(elections.stream().filter(Election::isLeader).count())
            .as("elections leading").isEqualTo(ELECTIONS));
        long after = leaderThreads();
        // Bounded wait: the threads of a backend an earlier test closed may still be ending.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(threadNames("leader-zookeeper"))
            .as("the backend's own threads with %d elections", ELECTIONS)
            .hasSizeLessThanOrEqualTo(ZooKeeperSession.LANE_WORKERS + 1));
        // The shared event pool's threads come and go with the deliveries under way at once; a
        // thread per election would add 500.
        assertThat(after - before).as("threads named leader-* added by %d elections: %s", ELECTIONS, threadNames("leader-"))
            .isLessThan(ELECTIONS / 10);
    }

    @Test
    void aStuckStepOrListenerOfSomeElectionsHoldsUpNoOtherCampaign() {
        ZooKeeperElectionBackend other = backend();
        ZooKeeperElectionBackend backend = backend();
        // All but one of the backend's workers stuck in a step of a follower's check.
        int stuck = ZooKeeperSession.LANE_WORKERS - 1;
        stickWorkers(other, backend, stuck);
        Election deaf = backend.election(prefix + "deaf", "a");
        CountDownLatch heard = new CountDownLatch(1);
        deaf.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                heard.countDown();
                awaitRelease();
            }
        });
        deaf.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.getCount() == 0);

        List<Election> campaigning = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Election election = backend.election(prefix + "free-" + i, "a");
            election.start();
            campaigning.add(election);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(campaigning.stream().filter(Election::isLeader).count())
            .as("elections leading while %d steps and a listener are stuck", stuck).isEqualTo(campaigning.size()));
        assertThat(deaf.isLeader()).as("the election whose listener is stuck still leads").isTrue();
    }

    /**
     * Ten thousand elections campaigning at once keep every worker busy for seconds: the renewal
     * of the session's leaders must not queue behind their steps, or the leases run out (at 10,000
     * elections per JVM the scale benchmark saw 40,000 such revokes in five minutes, and never
     * settled).
     */
    @Test
    void leadersAreRenewedWhileEveryWorkerIsStuck() {
        Duration session = Duration.ofSeconds(4);
        ZooKeeperElectionBackend other = backend();
        ZooKeeperElectionBackend backend = backend(server.connectString(), session);
        Election steady = backend.election(prefix + "steady", "a");
        steady.start();
        await().atMost(Duration.ofSeconds(10)).until(steady::isLeader);
        int stuck = ZooKeeperSession.LANE_WORKERS;
        AtomicInteger stuckSteps = stickWorkers(other, backend, stuck);
        await().during(session.multipliedBy(2)).atMost(session.multipliedBy(3))
            .until(() -> steady.isLeader() && stuckSteps.get() == stuck);
    }

    @Test
    void oneConfirmationPerIntervalServesEveryLeaderOfASession() throws Exception {
        TcpProxy proxy = new TcpProxy(server.port());
        closeables.add(proxy);
        ZooKeeperElectionBackend many = backend(proxy.connectString());
        ZooKeeperElectionBackend one = backend(proxy.connectString());
        List<Election> leaders = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            leaders.add(many.election(prefix + "many-" + i, "a"));
        }
        leaders.add(one.election(prefix + "one", "a"));
        leaders.forEach(Election::start);
        await().atMost(Duration.ofSeconds(30)).until(() -> leaders.stream().allMatch(Election::isLeader));
        long sessionOfMany = many.session().client().getSessionId();
        long sessionOfOne = one.session().client().getSessionId();
        // Settled: after its grant a leader publishes its record and reads it back, steps that
        // queue behind the other elections' (on a loaded machine, seconds after the last grant:
        // 48 and 137 requests against 8 when counted too early). Quiet means at most two rounds'
        // worth in a poll; a confirmation per leader would never be quiet.
        AtomicReference<Map<Long, TcpProxy.Traffic>> last = new AtomicReference<>(proxy.traffic());
        await().atMost(Duration.ofSeconds(60)).pollInterval(SESSION.dividedBy(5)).until(() -> {
            Map<Long, TcpProxy.Traffic> now = proxy.traffic();
            return requestsBetween(last.getAndSet(now), now, sessionOfMany) <= 4;
        });
        Map<Long, TcpProxy.Traffic> before = proxy.traffic();
        // The lone leader's renewals (a sync and a read each) count the intervals that pass.
        await().atMost(Duration.ofSeconds(30)).until(() -> requestsSince(proxy, before, sessionOfOne) >= 8);
        int ofOne = requestsSince(proxy, before, sessionOfOne);
        int ofMany = requestsSince(proxy, before, sessionOfMany);
        assertThat(ofMany).as("requests of the session of 50 leaders while the session of 1 sent %d", ofOne)
            .isLessThanOrEqualTo(2 * ofOne + 4); // one per leader would be about 50 times as many; slack for timers apart
        assertThat(leaders).allMatch(Election::isLeader);
    }

    private static int requestsSince(TcpProxy proxy, Map<Long, TcpProxy.Traffic> before, long session) {
        return requestsBetween(before, proxy.traffic(), session);
    }

    private static int requestsBetween(Map<Long, TcpProxy.Traffic> before, Map<Long, TcpProxy.Traffic> after, long session) {
        TcpProxy.Traffic now = after.get(session);
        TcpProxy.Traffic then = before.get(session);
        return now == null ? 0 : then == null ? now.requests() : now.minus(then).requests();
    }

    private ZooKeeperElectionBackend backend() {
        return backend(server.connectString());
    }

    private ZooKeeperElectionBackend backend(String connectString) {
        return backend(connectString, SESSION);
    }

    private ZooKeeperElectionBackend backend(String connectString, Duration session) {
        ZooKeeperElectionBackend backend = new ZooKeeperElectionBackend(
                ZooKeeperBackendSettings.builder(connectString).sessionTimeout(session).build());
        closeables.add(backend);
        return backend;
    }

    /**
     * Holds {@code count} of {@code backend}'s workers in a step of a follower's check (each the
     * follower of a leader on {@code other}) until the test ends.
     *
     * @return the steps stuck so far
     */
    private AtomicInteger stickWorkers(ZooKeeperElectionBackend other, ZooKeeperElectionBackend backend, int count) {
        AtomicInteger stuckSteps = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            Election leader = other.election(prefix + "stuck-" + i, "leader");
            leader.start();
            await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);
            ZooKeeperElection follower = (ZooKeeperElection) backend.election(prefix + "stuck-" + i, "follower");
            follower.beforePredecessorWatch = () -> {
                stuckSteps.incrementAndGet();
                awaitRelease();
            };
            follower.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stuckSteps.get() == count);
        return stuckSteps;
    }

    private void awaitRelease() {
        try {
            release.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static long leaderThreads() {
        return threadNames("leader-").size();
    }

    private static List<String> threadNames(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(name -> name.startsWith(prefix)).sorted().toList();
    }
}
