package dev.leader.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The databases the JDBC backend speaks to. Each has its own conditional statements, its own
 * way to wake followers, and its own schema script.
 */
public enum JdbcDialect {

    /** PostgreSQL: upsert with {@code RETURNING}; hand-off by {@code NOTIFY} to one listening connection. */
    POSTGRESQL("postgresql"),

    /**
     * MariaDB, and MySQL on the same statements: a conditional {@code UPDATE}; hand-off by a
     * named lock ({@code GET_LOCK}) that the leader's connection holds.
     */
    MARIADB("mariadb"),

    /** H2, for tests and a single host: followers read the lease every renew interval. */
    H2("h2");

    private final String id;

    JdbcDialect(String id) {
        this.id = id;
    }

    /** The value of {@code leader.jdbc.dialect}, and the suffix of the schema script. */
    public String id() {
        return id;
    }

    /** The schema script in the jar, e.g. {@code dev/leader/jdbc/schema-postgresql.sql}. */
    public String schemaResource() {
        return "dev/leader/jdbc/schema-" + id + ".sql";
    }

    public static Optional<JdbcDialect> fromId(String id) {
        String normalized = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(d -> d.id.equals(normalized) || ("mysql".equals(normalized) && d == MARIADB))
                .findFirst();
    }

    /**
     * The dialect a JDBC URL names ({@code jdbc:postgresql:}, {@code jdbc:mariadb:},
     * {@code jdbc:mysql:}, {@code jdbc:h2:}), known without connecting, so that an application
     * whose database is down can still start; empty for another URL.
     */
    public static Optional<JdbcDialect> fromUrl(String jdbcUrl) {
        String url = jdbcUrl.trim().toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:postgresql:")) {
            return Optional.of(POSTGRESQL);
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return Optional.of(MARIADB);
        }
        if (url.startsWith("jdbc:h2:")) {
            return Optional.of(H2);
        }
        return Optional.empty();
    }

    /**
     * The dialect of the database behind {@code metaData}.
     *
     * @throws IllegalArgumentException for any other database, naming it
     */
    public static JdbcDialect detect(DatabaseMetaData metaData) throws SQLException {
        return fromProductName(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion());
    }

    /** The dialect for a {@link DatabaseMetaData#getDatabaseProductName() product name}. */
    public static JdbcDialect fromProductName(String productName, String version) {
        String product = productName.toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        if (product.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("the JDBC leader backend supports PostgreSQL, MariaDB/MySQL and H2; this DataSource is "
                + productName + " " + version + ". Use another backend (leader.backend), or a DataSource of a supported database");
    }
}
