package dev.leader.etcd;

import java.time.Duration;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import dev.leader.testsupport.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class EtcdElectionContractTest extends ElectionContractTest {

    static final Duration LEASE = Duration.ofSeconds(2);

    private static EtcdCluster etcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        etcd.close();
    }

    @Override
    protected ElectionBackend newBackend() {
        return new EtcdElectionBackend(EtcdBackendSettings.of(etcd.endpoints()).withLeaseDuration(LEASE));
    }

    @Override
    protected Duration lease() {
        return LEASE;
    }
}
