package dev.leader.jdbc;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import javax.sql.DataSource;
import dev.leader.election.Election;
import dev.leader.testsupport.MariaDbServer;
import dev.leader.testsupport.PostgresServer;
import dev.leader.testsupport.ServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An acquire that its candidate gave up on (a stopped server, a timeout) can still run on the
 * server later, after the candidate acquired again on another connection: the server runs what
 * it buffered without noticing that the client went away. That late statement must change
 * nothing, or it raises the token under the leader, whose next renewal then fails (found by the
 * soak: fault-tests/findings/jdbc-stale-acquire-after-server-sigstop-2026-12-03.txt).
 */
class JdbcStaleAcquireTest {

    static final Duration LEASE = Duration.ofSeconds(2);

    enum Database {
        POSTGRESQL, MARIADB
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void anAcquireRunLateByTheServerChangesNothingOfTheTermItsCandidateHolds(Database database) throws Exception {
        try (ServerProcess server = database == Database.POSTGRESQL ? PostgresServer.start() : MariaDbServer.start();
                JdbcElectionBackend backend = new JdbcElectionBackend(dataSource(server), DataSources.settings(LEASE))) {
            Election a = backend.election("stale", "a");
            a.start();
            await().atMost(Duration.ofSeconds(30)).until(a::isLeader);
            long token = a.leadership().orElseThrow().fencingToken();

            // What the stopped server's backend runs once it may: the candidate's acquire as it was
            // sent before its grant, when it knew of no token of its own in the row.
            LeaseStatements statements = LeaseStatements.of(
                    database == Database.POSTGRESQL ? JdbcDialect.POSTGRESQL : JdbcDialect.MARIADB, backend.settings());
            try (Connection connection = dataSource(server).getConnection()) {
                LeaseStatements.Claim claim = new LeaseStatements.Claim("stale", "a", incarnation(connection, backend, "stale"));
                statements.acquire(connection, claim, LeaseStatements.Version.NONE, -1);
            }

            await().during(LEASE).atMost(LEASE.multipliedBy(2))
                    .until(() -> a.isLeader() && a.leadership().orElseThrow().fencingToken() == token);
        }
    }

    private static DataSource dataSource(ServerProcess server) {
        return server instanceof PostgresServer postgres ? DataSources.postgres(postgres) : DataSources.mariaDb((MariaDbServer) server);
    }

    private static String incarnation(Connection connection, JdbcElectionBackend backend, String election) throws Exception {
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT incarnation FROM " + backend.settings().tableName() + " WHERE name = ?")) {
            read.setString(1, election);
            try (ResultSet row = read.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}
