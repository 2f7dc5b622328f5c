package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.testsupport.LoopbackProxy;
import dev.leader.testsupport.MariaDbServer;
import dev.leader.testsupport.PostgresServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database is fine but the leader loses it: its network is cut (no byte, no FIN), or its
 * whole JVM is stopped. The successor is granted only once the leader's last lease version stayed
 * unchanged for a lease on its own clock, after the old leader stopped believing; the old leader
 * never believes in its old term again.
 */
class JdbcLeaderCutOffTest {

    static final Duration LEASE = Duration.ofSeconds(2);

    enum Database {
        POSTGRESQL, MARIADB
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aLeaderCutOffFromTheDatabaseStopsBelievingBeforeItsSuccessorIsGranted(Database database) throws Exception {
        String election = "cut-" + UUID.randomUUID().toString().substring(0, 8);
        try (LoopbackProxy proxy = LoopbackProxy.to(port(database)); Beliefs beliefs = new Beliefs();
                JdbcElectionBackend cutOff = new JdbcElectionBackend(dataSource(database, proxy.port()), DataSources.settings(LEASE));
                JdbcElectionBackend other = new JdbcElectionBackend(dataSource(database, port(database)), DataSources.settings(LEASE))) {
            Election a = beliefs.watch(cutOff.election(election, "a"));
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
            Election b = beliefs.watch(other.election(election, "b"));
            AtomicLong grantedAt = grantTime(b);
            b.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.leaderId().filter("a"::equals).isPresent());
            long token = a.leadership().orElseThrow().fencingToken();
            awaitRenewal(a, cutOff.settings().renewInterval());

            proxy.cut();
            long cutAt = System.nanoTime();
            await().atMost(LEASE.multipliedBy(3)).until(b::isLeader);
            long lastBelief = beliefs.lastBelief("a");
            assertThat(lastBelief - cutAt).as("a believed after the cut, ns").isLessThan(LEASE.toNanos());
            assertThat(grantedAt.get()).as("b granted after a stopped believing").isGreaterThan(lastBelief);
            // a's last renewal was at most a renew interval before the cut; its lease ran a full lease from there.
            Duration renewInterval = cutOff.settings().renewInterval();
            assertThat(Duration.ofNanos(grantedAt.get() - cutAt)).as("b granted before a's last lease ran out")
                    .isGreaterThanOrEqualTo(LEASE.minus(renewInterval));

            proxy.heal();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.leaderId().filter("b"::equals).isPresent());
            await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> b.isLeader() && !a.isLeader());
            assertThat(b.leadership().orElseThrow().fencingToken()).isGreaterThan(token);
            assertThat(beliefs.overlaps()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aLeaderProcessStoppedBeyondItsLeaseStopsBelievingBeforeItsSuccessorIsGrantedAndStepsDownAfter(Database database)
            throws Exception {
        String election = "paused-" + UUID.randomUUID().toString().substring(0, 8);
        String url = database == Database.POSTGRESQL ? SharedServers.postgres().jdbcUrl() : SharedServers.mariaDb().jdbcUrl();
        String user = database == Database.POSTGRESQL ? SharedServers.postgres().user() : SharedServers.mariaDb().user();
        try (CandidateJvm paused = CandidateJvm.start(url, user, election, "child", LEASE.toMillis());
                JdbcElectionBackend backend = new JdbcElectionBackend(dataSource(database, port(database)), DataSources.settings(LEASE))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> paused.first("GRANTED").isPresent());
            Election successor = backend.election(election, "successor");
            AtomicLong grantedAt = new AtomicLong();
            successor.addListener(new ElectionListener() {
                @Override
                public void granted(Leadership leadership) {
                    grantedAt.set(System.currentTimeMillis());
                }
            });
            successor.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> successor.leaderId().filter("child"::equals).isPresent());
            // A renewal or two, so that the deadline it reported is a renewed one.
            await().atMost(Duration.ofSeconds(10)).until(() -> paused.count("DEADLINE") >= 2);

            paused.signal("STOP");
            long stoppedAt = System.currentTimeMillis();
            try {
                await().atMost(LEASE.multipliedBy(3)).until(successor::isLeader);
                await().pollDelay(LEASE.dividedBy(2)).atMost(LEASE).until(() -> true);
            }
            finally {
                paused.signal("CONT");
            }
            assertThat(grantedAt.get()).as("successor granted after the stop").isGreaterThan(stoppedAt);
            assertThat(paused.lastDeadline()).as("the stopped leader's last belief ended before the successor's grant")
                    .isLessThan(grantedAt.get());
            await().atMost(Duration.ofSeconds(10)).until(() -> paused.first("REVOKED").isPresent());
            assertThat(paused.first("REVOKED").orElseThrow()).as("revoked only once it ran again").isGreaterThan(grantedAt.get());
            await().atMost(Duration.ofSeconds(10)).until(() -> paused.lines().stream().anyMatch(l -> l.startsWith("LEADER successor")));
            await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(successor::isLeader);
            assertThat(paused.count("GRANTED")).isEqualTo(1);
        }
    }

    /** Waits until a renewal moved the leader's deadline on, so that the cut ends a renewed term. */
    private static void awaitRenewal(Election leader, Duration renewInterval) {
        long deadline = System.nanoTime() + leader.leaseRemaining().orElseThrow().toNanos();
        await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() + leader.leaseRemaining().orElse(Duration.ZERO).toNanos()
                - deadline > renewInterval.toNanos() / 2);
    }

    private static AtomicLong grantTime(Election election) {
        AtomicLong grantedAt = new AtomicLong();
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                grantedAt.compareAndSet(0, System.nanoTime());
            }
        });
        return grantedAt;
    }

    private static int port(Database database) {
        return database == Database.POSTGRESQL ? SharedServers.postgres().port() : SharedServers.mariaDb().port();
    }

    private static DataSource dataSource(Database database, int port) {
        if (database == Database.POSTGRESQL) {
            PostgresServer server = SharedServers.postgres();
            return DataSources.postgres("jdbc:postgresql://127.0.0.1:" + port + "/postgres", server.user());
        }
        MariaDbServer server = SharedServers.mariaDb();
        return DataSources.mariaDb("jdbc:mariadb://127.0.0.1:" + port + "/leader", server.user());
    }
}
