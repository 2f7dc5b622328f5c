package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two processes given one candidate id, each in a network namespace of its own: they are told
 * apart by incarnation, never both believe, and each warns (once) of the other.
 */
class LanDuplicateIdTest extends LanNamespaceScenarios {

    private static final String WARNING = "campaigns with our candidate id";

    @Override
    protected int namespaces() {
        return 3;
    }

    /** Before incarnations told them apart, each ignored the other's datagrams as its own, and both led. */
    @Test
    void twoProcessesWithOneIdNeverLeadTogether() throws Exception {
        List<LanPeerProcess> twins = List.of(startPeer(0, "a", "beliefs=true"), startPeer(1, "a", "beliefs=true"));
        twins.forEach(LanPeerProcess::awaitReady);
        awaitSingleLeader(twins, Duration.ofSeconds(10));
        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(4))
                .until(() -> twins.stream().filter(LanPeerProcess::leads).count() == 1);
        assertOneBelieverAtATime(twins);
        for (LanPeerProcess twin : twins) {
            assertThat(twin.lines().stream().filter(l -> l.text().contains(WARNING) && l.text().contains("WARN")))
                    .as("one warning of the other incarnation: %s", twin).hasSize(1);
        }
    }

    @Test
    void withQuorumTwoProcessesWithOneIdCountAsTwoPeers() throws Exception {
        List<LanPeerProcess> three = List.of(startPeer(0, "a", "quorum=3", "beliefs=true"),
                startPeer(1, "a", "quorum=3", "beliefs=true"), startPeer(2, "b", "quorum=3", "beliefs=true"));
        three.forEach(LanPeerProcess::awaitReady);
        LanPeerProcess leader = awaitSingleLeader(three, Duration.ofSeconds(10));
        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(4))
                .until(() -> three.stream().filter(LanPeerProcess::leads).count() == 1 && leader.leads());
        // The leader fails: the other two still make a majority of the three, and elect one.
        leader.kill();
        List<LanPeerProcess> survivors = others(three, leader);
        awaitSingleLeader(survivors, LEASE.multipliedBy(4));
        await().during(LEASE).atMost(LEASE.multipliedBy(3))
                .until(() -> survivors.stream().filter(LanPeerProcess::leads).count() == 1);
        assertOneBelieverAtATime(three);
    }
}
