package dev.leader.jdbc;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import org.junit.jupiter.api.Test;

class MariaDbElectionContractTest extends ElectionContractTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    @Override
    protected ElectionBackend newBackend() {
        return new JdbcElectionBackend(DataSources.mariaDb(SharedServers.mariaDb()), DataSources.settings(LEASE));
    }

    @Override
    protected Duration lease() {
        return LEASE;
    }

    /**
     * Followers block in {@code GET_LOCK} and the server wakes one of them when the leader lets
     * the named lock go. When that one has withdrawn meanwhile, it must let the lock go in turn,
     * or the next follower sleeps until the lease it read ends: here a lease far above the
     * hand-off bound.
     */
    @Test
    void aWithdrawnFollowerWokenByTheReleaseWakesTheNextFollower() throws Exception {
        Duration longLease = Duration.ofSeconds(30);
        DataSource database = DataSources.mariaDb(SharedServers.mariaDb());
        Election a = candidateOn(backendWithLease(longLease), "a");
        await().atMost(handoffBound()).until(a::isLeader);
        Election b = candidateOn(backendWithLease(longLease), "b");
        await().atMost(handoffBound()).until(() -> waitingInGetLock(database) == 1);
        Election c = candidateOn(backendWithLease(longLease), "c");
        await().atMost(handoffBound()).until(() -> waitingInGetLock(database) == 2);

        b.withdraw();
        a.close();

        await().atMost(handoffBound()).until(c::isLeader);
    }

    private ElectionBackend backendWithLease(Duration lease) {
        ElectionBackend backend = new JdbcElectionBackend(DataSources.mariaDb(SharedServers.mariaDb()), DataSources.settings(lease));
        backends.add(backend);
        return backend;
    }

    /** Sessions of this test's election blocked in {@code GET_LOCK}, first come first woken. */
    private int waitingInGetLock(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement waiting = connection.prepareStatement(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT GET_LOCK(%' AND INFO LIKE ?")) {
            waiting.setString(1, "%" + electionName + "%");
            try (ResultSet row = waiting.executeQuery()) {
                return row.next() ? row.getInt(1) : 0;
            }
        }
    }
}
