package dev.leader.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import dev.leader.testsupport.MariaDbServer;
import dev.leader.testsupport.PostgresServer;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Unpooled DataSources of the test servers, made by each driver (no Spring): every
 * {@code getConnection()} opens a new connection, as a process of its own would.
 */
final class DataSources {

    private DataSources() {
    }

    static DataSource postgres(PostgresServer server) {
        return postgres(server.jdbcUrl(), server.user());
    }

    static DataSource postgres(String url, String user) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        // A bound on connecting, so that a server that accepts but never answers fails a connect.
        dataSource.setURL(url + (url.contains("?") ? "&" : "?") + "connectTimeout=2&loginTimeout=2");
        dataSource.setUser(user);
        return dataSource;
    }

    static DataSource mariaDb(MariaDbServer server) {
        return mariaDb(server.jdbcUrl(), server.user());
    }

    static DataSource mariaDb(String url, String user) {
        try {
            MariaDbDataSource dataSource = new MariaDbDataSource(url + (url.contains("?") ? "&" : "?") + "connectTimeout=2000");
            dataSource.setUser(user);
            return dataSource;
        }
        catch (SQLException ex) {
            throw new IllegalArgumentException(ex);
        }
    }

    static DataSource h2(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        return dataSource;
    }

    /** The lease, defaults for the rest, and the table created whatever the database. */
    static JdbcBackendSettings settings(Duration lease) {
        return JdbcBackendSettings.builder().lease(lease).schemaInitialization(SchemaInitialization.ALWAYS).build();
    }
}
