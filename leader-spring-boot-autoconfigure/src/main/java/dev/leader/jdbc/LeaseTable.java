package dev.leader.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the lease table from the dialect's script in the jar, when the settings ask for it.
 * The scripts name the table {@code leader_election}; another configured name replaces it.
 */
final class LeaseTable {

    private static final Logger log = LoggerFactory.getLogger(LeaseTable.class);

    private LeaseTable() {
    }

    /** Whether {@code initialization} calls for creating the table in the database at {@code url}. */
    static boolean shouldCreate(SchemaInitialization initialization, JdbcDialect dialect, String url) {
        return switch (initialization) {
            case ALWAYS -> true;
            case NEVER -> false;
            // As Spring Boot's EmbeddedDatabaseConnection judges H2: embedded means in memory.
            case EMBEDDED -> dialect == JdbcDialect.H2 && url.startsWith("jdbc:h2:mem:");
        };
    }

    /** The dialect's script with {@code table} as the table's name, as statements. */
    static List<String> statements(JdbcDialect dialect, String table) {
        String script;
        try (InputStream in = LeaseTable.class.getClassLoader().getResourceAsStream(dialect.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException(dialect.schemaResource() + " is missing from the class path");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        String withoutComments = script.lines().filter(line -> !line.trim().startsWith("--")).collect(Collectors.joining("\n"));
        return Arrays.stream(withoutComments.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.replaceAll("\\bleader_election\\b", table)).toList();
    }

    /**
     * Runs the script. {@code CREATE TABLE IF NOT EXISTS} may still fail when two processes
     * create the table at once; the table existing afterwards is success.
     */
    static void create(Connection connection, JdbcDialect dialect, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(dialect, table)) {
                statement.execute(sql);
            }
        }
        catch (SQLException ex) {
            if (!exists(connection, table)) {
                throw ex;
            }
            log.debug("table {} was created concurrently: {}", table, ex.toString());
        }
    }

    static boolean exists(Connection connection, String table) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1 FROM " + table + " WHERE 1 = 0");
            return true;
        }
        catch (SQLException ex) {
            return false;
        }
    }
}
