package dev.leader.jdbc;

import java.time.Duration;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;

class PostgresElectionContractTest extends ElectionContractTest {

    static final Duration LEASE = Duration.ofSeconds(1);

    @Override
    protected ElectionBackend newBackend() {
        return new JdbcElectionBackend(DataSources.postgres(SharedServers.postgres()), DataSources.settings(LEASE));
    }

    @Override
    protected Duration lease() {
        return LEASE;
    }
}
