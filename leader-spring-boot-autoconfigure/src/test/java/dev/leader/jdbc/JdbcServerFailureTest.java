package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import dev.leader.election.Election;
import dev.leader.testsupport.MariaDbServer;
import dev.leader.testsupport.PostgresServer;
import dev.leader.testsupport.ServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database server itself fails, on a server of the test's own: killed and restarted, or
 * stopped for longer than the lease. The leader stops believing by its own deadline, nobody
 * believes next to it, and tokens keep growing across the restart.
 */
class JdbcServerFailureTest {

    static final Duration LEASE = Duration.ofSeconds(2);

    enum Database {
        POSTGRESQL, MARIADB
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aKilledAndRestartedDatabaseEndsTheTermBeforeAnyOtherAndTokensKeepGrowing(Database database) throws Exception {
        try (ServerProcess server = start(database); Beliefs beliefs = new Beliefs();
                JdbcElectionBackend one = backend(database, server); JdbcElectionBackend two = backend(database, server)) {
            Election a = beliefs.watch(one.election("crash", "a"));
            Election b = beliefs.watch(two.election("crash", "b"));
            a.start();
            b.start();
            Election leader = awaitLeader(a, b);
            long before = leader.leadership().orElseThrow().fencingToken();

            server.kill9();
            long killedAt = System.nanoTime();
            await().atMost(LEASE.plus(Duration.ofSeconds(2))).until(() -> !a.isLeader() && !b.isLeader());
            long lastBelief = beliefs.lastBelief(leader.candidateId());
            assertThat(lastBelief - killedAt).as("belief after the kill, ns").isLessThan(LEASE.toNanos());
            beliefs.forget("a");
            beliefs.forget("b");

            server.restart();
            Election next = awaitLeader(a, b);
            assertThat(next.leadership().orElseThrow().fencingToken()).as("token after the restart").isGreaterThan(before);
            assertThat(beliefs.firstBelief(next.candidateId())).as("the new term began after the old belief ended")
                    .isGreaterThan(lastBelief);
            assertThat(beliefs.revocations()).contains(leader.candidateId() + " LEASE_EXPIRED");
            assertThat(beliefs.overlaps()).isEmpty();
            assertThat(beliefs.tokens()).isSorted().doesNotHaveDuplicates();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aDatabaseStoppedBeyondTheLeaseEndsTheTermAtTheDeadlineAndNoTwoBelieve(Database database) throws Exception {
        try (ServerProcess server = start(database); Beliefs beliefs = new Beliefs();
                JdbcElectionBackend one = backend(database, server); JdbcElectionBackend two = backend(database, server)) {
            Election a = beliefs.watch(one.election("stopped", "a"));
            Election b = beliefs.watch(two.election("stopped", "b"));
            a.start();
            b.start();
            Election leader = awaitLeader(a, b);
            long before = leader.leadership().orElseThrow().fencingToken();

            server.pause();
            long stoppedAt = System.nanoTime();
            long lastBelief;
            try {
                // The deadline is at most a lease after the last renewal, which was before the stop.
                await().atMost(LEASE.plus(Duration.ofSeconds(2))).until(() -> !leader.isLeader());
                lastBelief = beliefs.lastBelief(leader.candidateId());
                assertThat(lastBelief - stoppedAt).as("belief after the stop, ns").isLessThan(LEASE.toNanos());
                await().pollDelay(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> true);
                assertThat(a.isLeader() || b.isLeader()).as("a belief while the database was stopped").isFalse();
            }
            finally {
                server.resume();
            }
            beliefs.forget("a");
            beliefs.forget("b");
            Election next = awaitLeader(a, b);
            assertThat(next.leadership().orElseThrow().fencingToken()).isGreaterThan(before);
            assertThat(beliefs.firstBelief(next.candidateId())).as("the new term began after the old belief ended")
                    .isGreaterThan(lastBelief);
            // Several leases on, still one leader and never two believers.
            await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3))
                    .until(() -> a.isLeader() != b.isLeader() || (!a.isLeader() && !b.isLeader()));
            assertThat(beliefs.overlaps()).isEmpty();
            assertThat(beliefs.tokens()).isSorted().doesNotHaveDuplicates();
        }
    }

    private static Election awaitLeader(Election... candidates) {
        List<Election> all = List.of(candidates);
        await().atMost(Duration.ofSeconds(60)).until(() -> all.stream().filter(Election::isLeader).count() == 1);
        return all.stream().filter(Election::isLeader).findFirst().orElseThrow();
    }

    private static ServerProcess start(Database database) throws Exception {
        return database == Database.POSTGRESQL ? PostgresServer.start() : MariaDbServer.start();
    }

    private static JdbcElectionBackend backend(Database database, ServerProcess server) {
        DataSource dataSource = server instanceof PostgresServer postgres ? DataSources.postgres(postgres)
                : DataSources.mariaDb((MariaDbServer) server);
        return new JdbcElectionBackend(dataSource, DataSources.settings(LEASE));
    }
}
