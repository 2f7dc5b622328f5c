package dev.leader.jdbc;

import java.io.IOException;
import java.time.Duration;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import dev.leader.testsupport.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class MariaDbElectionContractTest extends ElectionContractTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    private static MariaDbServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = MariaDbServer.start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Override
    protected ElectionBackend newBackend() {
        return new JdbcElectionBackend(DataSources.mariaDb(server), DataSources.settings(LEASE));
    }

    @Override
    protected Duration lease() {
        return LEASE;
    }
}
