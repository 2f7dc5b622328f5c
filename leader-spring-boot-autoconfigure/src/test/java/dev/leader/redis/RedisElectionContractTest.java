package dev.leader.redis;

import java.io.IOException;
import java.time.Duration;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import dev.leader.testsupport.RedisServer;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisElectionContractTest extends ElectionContractTest {

    static RedisServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RedisServer.start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Override
    protected ElectionBackend newBackend() {
        return new RedisElectionBackend(RedisURI.create(server.url()), RedisBackendSettings.of(lease()));
    }

    @Override
    protected Duration lease() {
        return Duration.ofSeconds(1);
    }
}
