package dev.leader.lan;

import java.time.Duration;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionContractTest;
import org.junit.jupiter.api.BeforeAll;

/** The shared contract, each candidate on a backend (socket) of its own, all on {@code lo}. */
class LanElectionContractTest extends ElectionContractTest {

    private static final int PORT = LoopbackMulticast.randomPort();

    @BeforeAll
    static void enableMulticastOnLoopback() throws Exception {
        LoopbackMulticast.enable();
    }

    @Override
    protected ElectionBackend newBackend() {
        return new LanElectionBackend(LoopbackMulticast.settings(PORT, "contract-secret").lease(lease()).build());
    }

    @Override
    protected Duration lease() {
        return Duration.ofSeconds(1);
    }
}
