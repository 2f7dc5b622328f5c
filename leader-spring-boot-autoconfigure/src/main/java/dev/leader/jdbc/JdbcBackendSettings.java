package dev.leader.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import dev.leader.election.InvalidSettingException;
import dev.leader.election.LeaseDeadline;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC backend's settings, checked once here so that a bad value fails at start-up with a
 * message naming the property. Build with {@link #builder()}; every setter takes null for "the
 * default", so that unset properties can be mapped straight through.
 *
 * @param tableName the lease table ({@code leader.jdbc.table-name}), optionally schema-qualified;
 *        on PostgreSQL also the {@code NOTIFY} channel
 * @param lease how long a term lasts without a confirmed renewal ({@code leader.lease-duration}),
 *        counted by the leader from its renewal's send and by a follower from when it first saw
 *        the renewal, each on its own monotonic clock
 * @param renewInterval how often a leader renews ({@code leader.jdbc.renew-interval})
 * @param statementTimeout how long the server may spend on one statement before it cancels it
 *        ({@code leader.jdbc.statement-timeout}); below the renew interval, so that a renewal
 *        that failed is retried before the lease runs out
 * @param dialect the database's dialect ({@code leader.jdbc.dialect}), or null to detect it from
 *        the connection's metadata
 * @param schemaInitialization when to create the table ({@code leader.jdbc.initialize-schema})
 */
public record JdbcBackendSettings(String tableName, Duration lease, Duration renewInterval, Duration statementTimeout,
        @Nullable JdbcDialect dialect, SchemaInitialization schemaInitialization) {

    public static final String DEFAULT_TABLE_NAME = "leader_election";

    public static final Duration MIN_LEASE = Duration.ofMillis(100);

    /** The longest default statement timeout; a longer one must be asked for. */
    static final Duration MAX_DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * An identifier, optionally schema-qualified, that every supported database accepts unquoted;
     * at most 63 characters, PostgreSQL's limit for a table and a {@code NOTIFY} channel.
     */
    private static final Pattern TABLE_NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*");

    public JdbcBackendSettings {
        Objects.requireNonNull(tableName, "leader.jdbc.table-name");
        Objects.requireNonNull(lease, "leader.lease-duration");
        Objects.requireNonNull(renewInterval, "leader.jdbc.renew-interval");
        Objects.requireNonNull(statementTimeout, "leader.jdbc.statement-timeout");
        Objects.requireNonNull(schemaInitialization, "leader.jdbc.initialize-schema");
        requireValidTableName(tableName);
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new InvalidSettingException("leader.lease-duration", lease, "at least " + MIN_LEASE.toMillis() + "ms with the JDBC backend");
        }
        if (renewInterval.isNegative() || renewInterval.isZero() || renewInterval.compareTo(lease.dividedBy(2)) > 0) {
            throw new InvalidSettingException("leader.jdbc.renew-interval", renewInterval, "a positive duration of at most half the lease ("
                    + lease.dividedBy(2).toMillis() + "ms), so that a failed renewal is retried in time");
        }
        if (statementTimeout.compareTo(Duration.ofMillis(1)) < 0 || statementTimeout.compareTo(renewInterval) >= 0) {
            throw new InvalidSettingException("leader.jdbc.statement-timeout", statementTimeout, "at least 1ms and below the renew interval ("
                    + renewInterval.toMillis() + "ms), so that a stuck renewal is retried in time");
        }
    }

    /** Returns {@code tableName} if it is a valid {@code leader.jdbc.table-name}, else throws naming the property. */
    static String requireValidTableName(String tableName) {
        if (!TABLE_NAME.matcher(tableName).matches() || tableName.length() > 63) {
            throw new InvalidSettingException("leader.jdbc.table-name", tableName, "an unquoted SQL identifier (letters, digits"
                    + " and '_', not starting with a digit), optionally schema.table, at most 63 characters");
        }
        return tableName;
    }

    /** Every default: table {@code leader_election}, 10 s lease, dialect detected, schema created only when embedded. */
    public static JdbcBackendSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Default renew interval: a third of the lease, as every backend renews. */
    public static Duration defaultRenewInterval(Duration lease) {
        return lease.dividedBy(3);
    }

    /** Default statement timeout: half the renew interval, at most 2 s. */
    public static Duration defaultStatementTimeout(Duration renewInterval) {
        Duration half = renewInterval.dividedBy(2);
        return half.compareTo(MAX_DEFAULT_STATEMENT_TIMEOUT) > 0 ? MAX_DEFAULT_STATEMENT_TIMEOUT : half;
    }

    /** The safety margin by which a leader stops believing before the database's expiry. */
    public Duration margin() {
        return LeaseDeadline.defaultMargin(lease);
    }

    /**
     * How long the client waits for the answer to a statement before it gives the connection up:
     * lease - margin, as long as a renewal's answer can still keep the term. A renewal answered
     * after the renew interval (a loaded host, a stalled server) still counts from its send time;
     * giving its connection up at the renew interval instead lost terms under load, as the
     * reconnect (a fork and a login on the server) came after the deadline.
     */
    Duration replyTimeout() {
        return lease.minus(margin());
    }

    /** The PostgreSQL {@code NOTIFY} channel: the table's name. */
    String channel() {
        return tableName;
    }

    /** Builder; any setting left null takes its default, derived from the lease where it depends on it. */
    public static final class Builder {

        private @Nullable String tableName;

        private @Nullable Duration lease;

        private @Nullable Duration renewInterval;

        private @Nullable Duration statementTimeout;

        private @Nullable JdbcDialect dialect;

        private @Nullable SchemaInitialization schemaInitialization;

        private Builder() {
        }

        /** {@code leader.jdbc.table-name}, default {@value #DEFAULT_TABLE_NAME}. */
        public Builder tableName(@Nullable String tableName) {
            this.tableName = tableName;
            return this;
        }

        /** {@code leader.lease-duration}, default 10 s. */
        public Builder lease(@Nullable Duration lease) {
            this.lease = lease;
            return this;
        }

        /** {@code leader.jdbc.renew-interval}, default a third of the lease. */
        public Builder renewInterval(@Nullable Duration renewInterval) {
            this.renewInterval = renewInterval;
            return this;
        }

        /** {@code leader.jdbc.statement-timeout}, default half the renew interval, at most 2 s. */
        public Builder statementTimeout(@Nullable Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            return this;
        }

        /** {@code leader.jdbc.dialect}; null detects it from the database. */
        public Builder dialect(@Nullable JdbcDialect dialect) {
            this.dialect = dialect;
            return this;
        }

        /** {@code leader.jdbc.dialect} as text: {@code postgresql}, {@code mariadb} (or {@code mysql}), {@code h2}. */
        public Builder dialect(@Nullable String dialect) {
            if (dialect == null || dialect.isBlank()) {
                this.dialect = null;
                return this;
            }
            this.dialect = JdbcDialect.fromId(dialect).orElseThrow(() -> new InvalidSettingException("leader.jdbc.dialect", dialect,
                    "postgresql, mariadb (also for MySQL) or h2, or leave it unset to detect it"));
            return this;
        }

        /** {@code leader.jdbc.initialize-schema}, default {@link SchemaInitialization#EMBEDDED}. */
        public Builder schemaInitialization(@Nullable SchemaInitialization schemaInitialization) {
            this.schemaInitialization = schemaInitialization;
            return this;
        }

        public JdbcBackendSettings build() {
            Duration leaseOrDefault = lease != null ? lease : LeaseDeadline.DEFAULT_LEASE;
            Duration renew = renewInterval != null ? renewInterval : defaultRenewInterval(leaseOrDefault);
            Duration timeout = statementTimeout != null ? statementTimeout : defaultStatementTimeout(renew);
            return new JdbcBackendSettings(tableName != null ? tableName : DEFAULT_TABLE_NAME, leaseOrDefault, renew, timeout,
                    dialect, schemaInitialization != null ? schemaInitialization : SchemaInitialization.EMBEDDED);
        }
    }
}
