package dev.leader.jdbc.autoconfigure;

import java.time.Duration;
import dev.leader.jdbc.SchemaInitialization;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The JDBC backend. */
@ConfigurationProperties("leader.jdbc")
public class JdbcBackendProperties {

    /**
     * JDBC URL of a database of its own for the elections. Defaults to the application's database
     * (spring.datasource.*, or its JDBC connection details), reached on connections of the
     * backend's own.
     */
    private @Nullable String url;

    /** Login user of leader.jdbc.url. */
    private @Nullable String username;

    /** Login password of leader.jdbc.url. */
    private @Nullable String password;

    /** Lease table, optionally schema-qualified; on PostgreSQL also the NOTIFY channel. Defaults to leader_election. */
    private @Nullable String tableName;

    /** How often a leader renews; at most half the lease. Defaults to a third of the lease. */
    private @Nullable Duration renewInterval;

    /**
     * How long the database may spend on one statement before cancelling it; below the renew
     * interval. Defaults to half the renew interval, at most 2s.
     */
    private @Nullable Duration statementTimeout;

    /**
     * The database's dialect: postgresql, mariadb (also for MySQL) or h2. Defaults to the one the
     * JDBC URL names, else the one the database reports.
     */
    private @Nullable String dialect;

    /**
     * When to create the lease table from the dialect's script in the jar: embedded (only for an
     * in-memory database), always, or never (create it yourself, e.g. with Flyway or Liquibase).
     */
    private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable String getUsername() {
        return username;
    }

    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public @Nullable String getTableName() {
        return tableName;
    }

    public void setTableName(@Nullable String tableName) {
        this.tableName = tableName;
    }

    public @Nullable Duration getRenewInterval() {
        return renewInterval;
    }

    public void setRenewInterval(@Nullable Duration renewInterval) {
        this.renewInterval = renewInterval;
    }

    public @Nullable Duration getStatementTimeout() {
        return statementTimeout;
    }

    public void setStatementTimeout(@Nullable Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    public @Nullable String getDialect() {
        return dialect;
    }

    public void setDialect(@Nullable String dialect) {
        this.dialect = dialect;
    }

    public SchemaInitialization getInitializeSchema() {
        return initializeSchema;
    }

    public void setInitializeSchema(SchemaInitialization initializeSchema) {
        this.initializeSchema = initializeSchema;
    }
}
