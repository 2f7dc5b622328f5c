package dev.leader.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

import dev.leader.testsupport.PostgresServer;

/**
 * The one PostgreSQL server of a benchmark run (the project's {@link PostgresServer}, with
 * {@code pg_stat_statements}), shared by our JDBC backend and the JDBC anchors: each measures in a
 * database of its own on it, so that the server counts each one's statements apart. Started by
 * the first backend that asks, stopped by {@link Benchmarks} at the end of the run.
 */
final class PostgresDatabases {

    private static @Nullable PostgresServer server;

    private static @Nullable String version;

    private PostgresDatabases() {
    }

    /**
     * A new database named after {@code backend} on the run's server, with {@code schema} (SQL,
     * may be empty) run in it; its {@code requestsServed} counts the statements run in that
     * database ({@code pg_stat_statements}, utility statements such as {@code BEGIN} and
     * {@code COMMIT} included).
     */
    static synchronized BenchBackend.BenchServer create(String backend, String schema, String settings) {
        String database = backend.replace('-', '_').toLowerCase(Locale.ROOT);
        try {
            PostgresServer running = running();
            try (Connection admin = connect(running, "postgres"); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database);
                statement.execute("CREATE DATABASE " + database);
            }
            if (!schema.isBlank()) {
                try (Connection connection = connect(running, database); Statement statement = connection.createStatement()) {
                    statement.execute(schema);
                }
            }
            Connection stats = connect(running, "postgres");
            String url = "jdbc:postgresql://127.0.0.1:" + running.port() + "/" + database;
            return BenchBackend.BenchServer.of(url, version + ", loopback, fsync off, one server for every JDBC row of the run, "
                    + "a database each" + settings, () -> statements(stats, database), () -> close(stats));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot start PostgreSQL for " + backend, ex);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot create the database of " + backend, ex);
        }
    }

    /** Stops the run's server, if one was started. */
    static synchronized void stop() {
        PostgresServer running = server;
        server = null;
        if (running != null) {
            try {
                running.close();
            }
            catch (IOException ex) {
                System.err.println("bench: could not delete the PostgreSQL data directory: " + ex.getMessage());
            }
        }
    }

    /** A DataSource that opens a connection of its own on every call; connect and login bounded loosely, for a busy 2-core machine. */
    static DataSource unpooled(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url + "?connectTimeout=10&loginTimeout=10");
        dataSource.setUser("postgres");
        return dataSource;
    }

    private static PostgresServer running() throws IOException {
        PostgresServer running = server;
        if (running == null) {
            running = PostgresServer.start("shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track_utility=on");
            server = running;
            running.psql("CREATE EXTENSION pg_stat_statements");
            version = "PostgreSQL " + running.psql("SHOW server_version");
        }
        return running;
    }

    private static Connection connect(PostgresServer running, String database) throws SQLException {
        Connection connection = unpooled("jdbc:postgresql://127.0.0.1:" + running.port() + "/" + database).getConnection();
        connection.setAutoCommit(true);
        return connection;
    }

    private static long statements(Connection stats, String database) {
        try (PreparedStatement query = stats.prepareStatement("SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s"
                + " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ?")) {
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot read pg_stat_statements for " + database, ex);
        }
    }

    private static void close(Connection stats) {
        try {
            stats.close();
        }
        catch (SQLException ex) {
            System.err.println("bench: could not close the statistics connection: " + ex.getMessage());
        }
    }
}
