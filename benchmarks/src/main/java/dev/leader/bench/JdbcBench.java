package dev.leader.bench;

import java.nio.file.Path;
import java.time.Duration;

import dev.leader.autoconfigure.BackendType;
import dev.leader.election.ElectionBackend;
import dev.leader.jdbc.JdbcBackendSettings;
import dev.leader.jdbc.JdbcElectionBackend;
import dev.leader.jdbc.SchemaInitialization;

/**
 * JDBC on PostgreSQL: the backend with its defaults but the lease, over a DataSource that opens
 * its own connections (the backend holds two for its life: statements and {@code LISTEN}).
 */
final class JdbcBench implements OurBench {

    @Override
    public BackendType backend() {
        return BackendType.JDBC;
    }

    @Override
    public BenchServer start(Path workDir) {
        BenchServer server = PostgresDatabases.create(type(), "", "; our backend over PGSimpleDataSource (its own 2 connections per JVM)");
        // The table, created once here: candidates that start together would race to create it.
        try {
            new JdbcElectionBackend(PostgresDatabases.unpooled(server.address()),
                    JdbcBackendSettings.builder().schemaInitialization(SchemaInitialization.ALWAYS).build()).close();
            return server;
        }
        catch (RuntimeException ex) {
            server.close();
            throw ex;
        }
    }

    @Override
    public ElectionBackend electionBackend(String address, Duration lease) {
        return new JdbcElectionBackend(PostgresDatabases.unpooled(address),
                JdbcBackendSettings.builder().lease(lease).build());
    }

    @Override
    public Duration lease(Duration requested) {
        return requested;
    }
}
