package dev.leader.jdbc;

import java.time.Duration;
import java.util.UUID;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import org.h2.jdbcx.JdbcDataSource;

/** H2 in memory, in this JVM: each backend holds its own connections to one named database. */
class H2ElectionContractTest extends ElectionContractTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    private static final String URL = "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    protected ElectionBackend newBackend() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(URL);
        return new JdbcElectionBackend(dataSource, JdbcBackendSettings.builder().lease(LEASE).build());
    }

    @Override
    protected Duration lease() {
        return LEASE;
    }
}
