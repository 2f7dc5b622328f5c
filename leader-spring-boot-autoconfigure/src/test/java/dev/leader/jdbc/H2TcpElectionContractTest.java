package dev.leader.jdbc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** H2 as a TCP server on a free loopback port, as candidates on several hosts would share it. */
class H2TcpElectionContractTest extends ElectionContractTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    private static Server server;

    private static String url;

    @BeforeAll
    static void startServer() throws SQLException, IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
        url = "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:contract-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Override
    protected ElectionBackend newBackend() {
        return new JdbcElectionBackend(DataSources.h2(url), DataSources.settings(LEASE));
    }

    @Override
    protected Duration lease() {
        return LEASE;
    }
}
