package dev.leader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcBackendSettingsTest {

    @Test
    void defaultsFollowTheLease() {
        JdbcBackendSettings settings = JdbcBackendSettings.defaults();
        assertThat(settings.tableName()).isEqualTo("leader_election");
        assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.renewInterval()).isEqualTo(Duration.ofSeconds(10).dividedBy(3));
        assertThat(settings.statementTimeout()).isEqualTo(Duration.ofSeconds(10).dividedBy(6));
        assertThat(settings.dialect()).isNull();
        assertThat(settings.schemaInitialization()).isEqualTo(SchemaInitialization.EMBEDDED);
        assertThat(settings.margin()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theDefaultStatementTimeoutIsHalfTheRenewIntervalAtMostTwoSeconds() {
        assertThat(JdbcBackendSettings.builder().lease(Duration.ofSeconds(1)).build().statementTimeout())
                .isEqualTo(Duration.ofSeconds(1).dividedBy(6));
        assertThat(JdbcBackendSettings.builder().lease(Duration.ofMinutes(1)).build().statementTimeout())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void unsetValuesTakeTheirDefaults() {
        JdbcBackendSettings settings = JdbcBackendSettings.builder().tableName(null).lease(null).renewInterval(null)
                .statementTimeout(null).dialect((String) null).schemaInitialization(null).build();
        assertThat(settings).isEqualTo(JdbcBackendSettings.defaults());
    }

    @Test
    void aStatementTimeoutNotBelowTheRenewIntervalIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JdbcBackendSettings.builder().lease(Duration.ofSeconds(3)).statementTimeout(Duration.ofSeconds(1)).build())
                .withMessageContaining("leader.jdbc.statement-timeout").withMessageContaining("1000ms");
    }

    @Test
    void aRenewIntervalAboveHalfTheLeaseIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JdbcBackendSettings.builder().lease(Duration.ofSeconds(3)).renewInterval(Duration.ofSeconds(2)).build())
                .withMessageContaining("leader.jdbc.renew-interval");
    }

    @Test
    void aTooShortLeaseIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcBackendSettings.builder().lease(Duration.ofMillis(50)).build())
                .withMessageContaining("leader.lease-duration");
    }

    @Test
    void tableNamesAreUnquotedIdentifiersOptionallyQualified() {
        for (String valid : List.of("leader_election", "ops.leader_election", "_t1", "A".repeat(63))) {
            assertThat(JdbcBackendSettings.builder().tableName(valid).build().tableName()).isEqualTo(valid);
        }
        for (String invalid : List.of("", "1table", "leader-election", "a.b.c", "t; DROP TABLE x", "\"quoted\"", "A".repeat(64))) {
            assertThatIllegalArgumentException().as(invalid).isThrownBy(() -> JdbcBackendSettings.builder().tableName(invalid).build())
                    .withMessageContaining("leader.jdbc.table-name");
        }
    }

    @Test
    void dialectsAreNamedByIdAndMySqlIsMariaDb() {
        assertThat(JdbcBackendSettings.builder().dialect("PostgreSQL").build().dialect()).isEqualTo(JdbcDialect.POSTGRESQL);
        assertThat(JdbcBackendSettings.builder().dialect("mysql").build().dialect()).isEqualTo(JdbcDialect.MARIADB);
        assertThat(JdbcBackendSettings.builder().dialect(" h2 ").build().dialect()).isEqualTo(JdbcDialect.H2);
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcBackendSettings.builder().dialect("oracle"))
                .withMessageContaining("leader.jdbc.dialect");
    }

    @Test
    void otherDatabasesAreRefusedByName() {
        assertThat(JdbcDialect.fromProductName("MariaDB", "10.11")).isEqualTo(JdbcDialect.MARIADB);
        assertThat(JdbcDialect.fromProductName("MySQL", "8.4")).isEqualTo(JdbcDialect.MARIADB);
        assertThatIllegalArgumentException().isThrownBy(() -> JdbcDialect.fromProductName("Oracle", "23ai"))
                .withMessageContaining("Oracle 23ai").withMessageContaining("PostgreSQL, MariaDB/MySQL and H2");
    }

    @Test
    void theEmbeddedModeCreatesTheTableOnlyInAnInMemoryH2() {
        assertThat(LeaseTable.shouldCreate(SchemaInitialization.EMBEDDED, JdbcDialect.H2, "jdbc:h2:mem:x")).isTrue();
        assertThat(LeaseTable.shouldCreate(SchemaInitialization.EMBEDDED, JdbcDialect.H2, "jdbc:h2:tcp://127.0.0.1/x")).isFalse();
        assertThat(LeaseTable.shouldCreate(SchemaInitialization.EMBEDDED, JdbcDialect.POSTGRESQL, "jdbc:postgresql://h/db")).isFalse();
        assertThat(LeaseTable.shouldCreate(SchemaInitialization.ALWAYS, JdbcDialect.POSTGRESQL, "jdbc:postgresql://h/db")).isTrue();
        assertThat(LeaseTable.shouldCreate(SchemaInitialization.NEVER, JdbcDialect.H2, "jdbc:h2:mem:x")).isFalse();
    }

    @Test
    void theShippedScriptsNameTheConfiguredTable() {
        for (JdbcDialect dialect : JdbcDialect.values()) {
            List<String> statements = LeaseTable.statements(dialect, "ops.elections");
            assertThat(statements).singleElement().satisfies(sql -> assertThat(sql)
                    .startsWith("CREATE TABLE IF NOT EXISTS ops.elections").doesNotContain("leader_election"));
        }
    }

    @Test
    void lockNamesFitMariaDbsLimitAndSeparateDatabases() {
        assertThat(NamedLockWait.lockName("app", "leader_election", "billing")).isEqualTo("leader:app.leader_election:billing");
        String longName = NamedLockWait.lockName("app", "leader_election", "x".repeat(128));
        assertThat(longName).hasSizeLessThanOrEqualTo(NamedLockWait.MAX_NAME).startsWith("leader:");
        assertThat(NamedLockWait.lockName("other", "leader_election", "x".repeat(128))).isNotEqualTo(longName);
    }

    @Test
    void notificationsCarryElectionHolderAndVersion() {
        // As PostgresStatements' format('held %s %s %s %s %s', lease, token, version, name, holder) writes it.
        LeaseNotification held = LeaseNotification.parse("held 10000 7 42 billing host:12:ab c");
        assertThat(held).isEqualTo(new LeaseNotification(false, "billing", "host:12:ab c", 10_000, new LeaseStatements.Version(7, 42)));
        assertThat(LeaseNotification.parse(LeaseNotification.released("billing")))
                .isEqualTo(new LeaseNotification(true, "billing", null, 0, LeaseStatements.Version.NONE));
        assertThat(LeaseNotification.parse("something else")).isNull();
        assertThat(LeaseNotification.parse("held x 1 2 billing a")).isNull();
        assertThat(LeaseNotification.parse("held 10000 billing a")).as("without a version").isNull();
    }
}
