package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.leader.election.Election;
import dev.leader.testsupport.PostgresServer;
import dev.leader.election.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the backend does when it is made: dialect, schema, an unreachable database, a pool it borrows from. */
class JdbcBackendStartTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theDialectIsDetectedFromTheDatabase(TestDatabase database) {
        try (JdbcElectionBackend backend = new JdbcElectionBackend(database.dataSource(), DataSources.settings(LEASE))) {
            assertThat(backend.dialect().name()).isEqualTo(database.name());
            assertThat(backend.type()).isEqualTo("jdbc");
        }
    }

    @Test
    void anInMemoryH2GetsItsTableByDefault() {
        String url = "jdbc:h2:mem:start-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (JdbcElectionBackend backend = new JdbcElectionBackend(DataSources.h2(url), JdbcBackendSettings.builder().lease(LEASE).build())) {
            Election election = backend.election("embedded", "a");
            election.start();
            await().atMost(Duration.ofSeconds(10)).until(election::isLeader);
        }
    }

    @Test
    void aMissingTableThatIsNotToBeCreatedFailsTheStartNamingTheScript() {
        String url = "jdbc:h2:mem:start-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        JdbcBackendSettings never = JdbcBackendSettings.builder().schemaInitialization(SchemaInitialization.NEVER).build();
        assertThatIllegalStateException().isThrownBy(() -> new JdbcElectionBackend(DataSources.h2(url), never))
                .withMessageContaining("leader_election does not exist").withMessageContaining("dev/leader/jdbc/schema-h2.sql")
                .withMessageContaining("leader.jdbc.initialize-schema");
    }

    @Test
    void aDialectThatIsNotTheDatabasesFailsTheStart() {
        String url = "jdbc:h2:mem:start-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        JdbcBackendSettings postgres = JdbcBackendSettings.builder().dialect(JdbcDialect.POSTGRESQL).build();
        assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> new JdbcElectionBackend(DataSources.h2(url), postgres))
                .satisfies(refused -> {
                    assertThat(refused.property()).isEqualTo("leader.jdbc.dialect");
                    assertThat(refused.value()).isEqualTo("postgresql");
                    assertThat(refused.allowed()).contains("h2").contains("H2");
                });
    }

    @Test
    void anUnreachableDatabaseWithoutADialectFailsTheStart() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThatIllegalStateException()
                .isThrownBy(() -> new JdbcElectionBackend(DataSources.postgres("jdbc:postgresql://127.0.0.1:" + closed + "/x", "x"),
                        DataSources.settings(LEASE)))
                .withMessageContaining("set leader.jdbc.dialect");
    }

    @Test
    void withADialectTheBackendStartsBeforeTheDatabaseAndElectsOnceItIsUp() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            server.kill9();
            JdbcBackendSettings settings = JdbcBackendSettings.builder().lease(LEASE).dialect(JdbcDialect.POSTGRESQL)
                    .schemaInitialization(SchemaInitialization.ALWAYS).build();
            try (JdbcElectionBackend backend = new JdbcElectionBackend(DataSources.postgres(server), settings)) {
                assertThat(backend.status().reachable()).isFalse();
                Election election = backend.election("late", "a");
                election.start();
                server.restart();
                await().atMost(Duration.ofSeconds(30)).until(election::isLeader);
                assertThat(backend.status().reachable()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aConfiguredTableIsCreatedAndUsed(TestDatabase database) throws Exception {
        String table = "leases_" + UUID.randomUUID().toString().substring(0, 8);
        JdbcBackendSettings settings = JdbcBackendSettings.builder().lease(LEASE).tableName(table)
                .schemaInitialization(SchemaInitialization.ALWAYS).build();
        try (JdbcElectionBackend backend = new JdbcElectionBackend(database.dataSource(), settings)) {
            Election election = backend.election("own-table", "a");
            election.start();
            await().atMost(Duration.ofSeconds(10)).until(election::isLeader);
            try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT holder, token FROM " + table + " WHERE name = 'own-table'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("a");
                assertThat(row.getLong(2)).isEqualTo(election.leadership().orElseThrow().fencingToken());
            }
        }
    }

    @Test
    void connectionsGoBackToThePoolWithTheirSessionSettingsUndone() throws Exception {
        PostgresServer server = SharedServers.postgres();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.user());
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (JdbcElectionBackend backend = new JdbcElectionBackend(pool, DataSources.settings(LEASE))) {
                Election election = backend.election("pooled", "a");
                election.start();
                await().atMost(Duration.ofSeconds(10)).until(election::isLeader);
                assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("held: statements and LISTEN").isEqualTo(2);
            }
            List<Connection> borrowed = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Connection connection = pool.getConnection();
                    borrowed.add(connection);
                    try (Statement statement = connection.createStatement()) {
                        assertThat(single(statement, "SHOW statement_timeout")).isEqualTo("0");
                        assertThat(single(statement, "SHOW application_name")).isNotEqualTo("leader-election");
                        assertThat(single(statement, "SELECT count(*) FROM pg_listening_channels()")).isEqualTo("0");
                    }
                }
            }
            finally {
                for (Connection connection : borrowed) {
                    connection.close();
                }
            }
        }
    }

    private static String single(Statement statement, String sql) throws Exception {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
