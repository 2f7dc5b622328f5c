package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fenced writes in the application's own transaction: the database refuses a stale leader's
 * write, and a successor is granted only after the old term's open fenced transaction ended.
 */
class JdbcFencingTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final String election = "fenced-" + UUID.randomUUID().toString().substring(0, 8);

    private final String account = "account_" + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aStaleLeadersFencedWriteIsRefusedAfterASuccessorWasGranted(TestDatabase database) throws Exception {
        JdbcElectionBackend first = backend(database);
        Election a = start(first, "a");
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        Leadership stale = a.leadership().orElseThrow();
        Election b = start(backend(database), "b");
        await().atMost(Duration.ofSeconds(5)).until(() -> b.leaderId().isPresent());
        a.yieldLeadership();
        await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
        Leadership current = b.leadership().orElseThrow();
        JdbcFencing fencing = first.fencing();
        createAccount(database);

        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            assertThatExceptionOfType(StaleFencingTokenException.class).isThrownBy(() -> fencing.assertHolds(connection, stale))
                    .satisfies(ex -> assertThat(ex.fencingToken()).isEqualTo(stale.fencingToken()))
                    .withMessageContaining(election);
            assertThat(fencedUpdate(connection, fencing, stale)).as("stale leader's write through the predicate").isZero();
            connection.rollback();

            fencing.assertHolds(connection, current);
            assertThat(fencedUpdate(connection, fencing, current)).as("current leader's write").isOne();
            connection.commit();
        }
        assertThat(balance(database)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSuccessorIsGrantedOnlyAfterTheOldTermsFencedTransactionEnded(TestDatabase database) throws Exception {
        JdbcElectionBackend first = backend(database);
        Election a = start(first, "a");
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        Leadership term = a.leadership().orElseThrow();
        Election b = start(backend(database), "b");
        AtomicLong grantedAt = new AtomicLong();
        b.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                grantedAt.set(System.nanoTime());
            }
        });
        createAccount(database);
        long commitSentAt;
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            first.fencing().assertHolds(connection, term);
            assertThat(fencedUpdate(connection, first.fencing(), term)).isOne();
            // The old leader goes away, and its lease runs out, while its fenced transaction is still open.
            a.close();
            await().pollDelay(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3)).until(() -> true);
            assertThat(b.isLeader()).as("granted while the old term's fenced transaction was open").isFalse();
            // The server commits, and b's waiting grant may go through, before commit() returns
            // here: the grant must come after the commit was sent, not after its reply came back.
            commitSentAt = System.nanoTime();
            connection.commit();
        }
        await().atMost(LEASE.plus(Duration.ofSeconds(5))).until(b::isLeader);
        assertThat(grantedAt.get()).isGreaterThan(commitSentAt);
        assertThat(b.leadership().orElseThrow().fencingToken()).isGreaterThan(term.fencingToken());
        assertThat(balance(database)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFencedCheckOutsideATransactionIsRefused(TestDatabase database) throws Exception {
        JdbcElectionBackend backend = backend(database);
        Election a = start(backend, "a");
        await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(true);
            assertThatIllegalStateException().isThrownBy(() -> backend.fencing().assertHolds(connection, a.leadership().orElseThrow()))
                    .withMessageContaining("transaction");
        }
    }

    private JdbcElectionBackend backend(TestDatabase database) {
        JdbcElectionBackend backend = new JdbcElectionBackend(database.dataSource(), DataSources.settings(LEASE));
        closeables.add(backend);
        return backend;
    }

    private Election start(JdbcElectionBackend backend, String id) {
        Election candidate = backend.election(election, id);
        candidate.start();
        return candidate;
    }

    private void createAccount(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + account + " (id INT PRIMARY KEY, balance INT NOT NULL)");
            statement.execute("INSERT INTO " + account + " VALUES (1, 0)");
        }
    }

    private int fencedUpdate(Connection connection, JdbcFencing fencing, Leadership term) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE " + account + " SET balance = balance + 1 WHERE id = 1 AND " + fencing.predicate())) {
            update.setString(1, term.election());
            update.setLong(2, term.fencingToken());
            return update.executeUpdate();
        }
    }

    private int balance(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
                var row = statement.executeQuery("SELECT balance FROM " + account + " WHERE id = 1")) {
            row.next();
            return row.getInt(1);
        }
    }
}
