package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many elections on one backend (issue 20): 500 leaders on one backend and 500 followers of
 * them on another run on a few threads and a few connections, whatever the number of elections,
 * and every follower takes over once the leaders' backend closes.
 */
class JdbcScaleTest {

    private static final int ELECTIONS = 500;

    private static final Duration LEASE = Duration.ofSeconds(2);

    /** The threads one backend may add: lane workers, timer, listener, bounded lock waiters. */
    private static final int THREADS_PER_BACKEND = 24;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final String prefix = "scale-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void postgresLeadsAndFollowsFiveHundredElectionsOnAFewThreads() throws Exception {
        DataSource database = DataSources.postgres(SharedServers.postgres());
        leadAndFollow(database);
    }

    @Test
    void mariaDbLeadsAndFollowsFiveHundredElectionsOnAFewThreadsAndConnections() throws Exception {
        DataSource database = DataSources.mariaDb(SharedServers.mariaDb());
        long before = mariaDbConnections(database);
        leadAndFollow(database);
        // Leaders: statements and their named locks; followers: statements, locks and the bounded waiters.
        assertThat(mariaDbConnections(database) - before).as("connections the two backends hold").isLessThanOrEqualTo(24);
    }

    @Test
    void h2LeadsAndFollowsFiveHundredElectionsOnAFewThreads() throws Exception {
        leadAndFollow(DataSources.h2("jdbc:h2:mem:scale-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    }

    /**
     * Every leader is renewed by one statement per renew interval, and a row that no longer holds
     * one election's term (taken by hand) ends that term only.
     */
    @Test
    void postgresRenewsFiveHundredLeadersWithOneStatementPerIntervalAndRevokesOnlyATermItLost() throws Exception {
        DataSource database = DataSources.postgres(SharedServers.postgres());
        renewTogetherAndRevokeOne(database);
    }

    @Test
    void mariaDbRenewsFiveHundredLeadersWithOneStatementPerIntervalAndRevokesOnlyATermItLost() throws Exception {
        renewTogetherAndRevokeOne(DataSources.mariaDb(SharedServers.mariaDb()));
    }

    private void renewTogetherAndRevokeOne(DataSource database) throws Exception {
        JdbcElectionBackend backend = backend(database);
        Map<String, List<RevokeReason>> revokes = new ConcurrentHashMap<>();
        List<Election> led = elections(backend, "a", new ConcurrentHashMap<>());
        led.forEach(e -> {
            List<RevokeReason> reasons = new CopyOnWriteArrayList<>();
            revokes.put(e.name(), reasons);
            e.addListener(new ElectionListener() {
                @Override
                public void revoked(Leadership leadership, RevokeReason reason) {
                    reasons.add(reason);
                }
            });
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> led.stream().allMatch(Election::isLeader));

        long before = backend.renewals().statementsSent();
        Duration renewInterval = backend.settings().renewInterval();
        Duration window = renewInterval.multipliedBy(6);
        await().during(window).atMost(window.plusSeconds(1)).until(() -> led.stream().allMatch(Election::isLeader));
        // Six intervals: one statement each, with slack for a tick at either edge; one per leader would be 3,000.
        assertThat(backend.renewals().statementsSent() - before).as("renewal statements in six renew intervals").isBetween(4L, 8L);

        Election taken = led.get(7);
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE leader_election SET holder = 'intruder', token = token + 1, version = version + 1"
                    + " WHERE name = '" + taken.name() + "'");
        }
        await().atMost(LEASE).until(() -> !revokes.get(taken.name()).isEmpty());
        assertThat(revokes.get(taken.name())).containsExactly(RevokeReason.LEASE_EXPIRED);
        await().during(renewInterval.multipliedBy(3)).atMost(renewInterval.multipliedBy(3).plusSeconds(1))
                .until(() -> led.stream().filter(e -> e != taken).allMatch(Election::isLeader));
        assertThat(led).filteredOn(e -> e != taken).allSatisfy(e -> assertThat(revokes.get(e.name())).as(e.name()).isEmpty());
    }

    private void leadAndFollow(DataSource database) throws Exception {
        long before = threadNames("leader-jdbc").size();
        JdbcElectionBackend leaders = backend(database);
        List<Election> led = elections(leaders, "a", Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> led.stream().allMatch(Election::isLeader));

        JdbcElectionBackend followers = backend(database);
        Map<String, Long> granted = new ConcurrentHashMap<>();
        List<Election> following = elections(followers, "b", granted);
        await().atMost(Duration.ofSeconds(60)).until(() -> following.stream().allMatch(e -> e.leaderId().filter("a"::equals).isPresent()));
        RowPoll polled = followers.rowPoll();
        if (polled != null) {
            // At rest the followers that no lock waiter serves cost one read of all their rows per interval.
            long reads = polled.statementsSent();
            Duration window = followers.settings().renewInterval().multipliedBy(6);
            await().during(window).atMost(window.plusSeconds(1)).until(() -> led.stream().allMatch(Election::isLeader));
            assertThat(polled.statementsSent() - reads).as("reads of the followed rows in six renew intervals").isBetween(4L, 8L);
        }
        assertThat(threadNames("leader-jdbc").size() - before).as("threads the two backends added")
                .isLessThanOrEqualTo(2 * THREADS_PER_BACKEND);
        assertThat(led).allMatch(Election::isLeader);
        Map<String, Long> tokens = new ConcurrentHashMap<>();
        led.forEach(e -> tokens.put(e.name(), e.leadership().orElseThrow().fencingToken()));

        leaders.close();
        await().atMost(LEASE.multipliedBy(5)).until(() -> granted.size() == ELECTIONS);
        assertThat(following).allMatch(Election::isLeader);
        assertThat(granted).allSatisfy((name, token) -> assertThat(token).as(name).isGreaterThan(tokens.get(name)));
        assertThat(threadNames("leader-jdbc").size() - before).as("threads added after the hand-off")
                .isLessThanOrEqualTo(2 * THREADS_PER_BACKEND);
    }

    private List<Election> elections(JdbcElectionBackend backend, String candidateId, Map<String, Long> granted) {
        List<Election> elections = new ArrayList<>();
        for (int i = 0; i < ELECTIONS; i++) {
            Election election = backend.election(prefix + i, candidateId);
            String name = election.name();
            election.addListener(new ElectionListener() {
                @Override
                public void granted(Leadership leadership) {
                    granted.put(name, leadership.fencingToken());
                }
            });
            election.start();
            elections.add(election);
        }
        return elections;
    }

    private JdbcElectionBackend backend(DataSource database) {
        JdbcElectionBackend backend = new JdbcElectionBackend(database, DataSources.settings(LEASE));
        closeables.add(backend);
        return backend;
    }

    private static long mariaDbConnections(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static List<String> threadNames(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).sorted().toList();
    }
}
