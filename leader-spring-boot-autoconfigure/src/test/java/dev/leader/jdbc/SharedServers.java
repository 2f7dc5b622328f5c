package dev.leader.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import dev.leader.testsupport.MariaDbServer;
import dev.leader.testsupport.PostgresServer;

/**
 * One PostgreSQL and one MariaDB server for the test classes of this JVM that only elect on them
 * (each test uses election names of its own), started on first use and killed when the JVM
 * exits. Tests that kill or pause a server start their own.
 */
final class SharedServers {

    private static PostgresServer postgres;

    private static MariaDbServer mariaDb;

    private SharedServers() {
    }

    static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = start(PostgresServer::start);
        }
        return postgres;
    }

    static synchronized MariaDbServer mariaDb() {
        if (mariaDb == null) {
            mariaDb = start(MariaDbServer::start);
        }
        return mariaDb;
    }

    private interface Starter<S extends AutoCloseable> {
        S start() throws IOException;
    }

    private static <S extends AutoCloseable> S start(Starter<S> starter) {
        try {
            S server = starter.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                }
                catch (Exception ex) {
                    System.err.println("could not stop " + server + ": " + ex);
                }
            }));
            return server;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
