package dev.leader.lan;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With a quorum a term is a vote: peers in network namespaces, with one-way datagram loss
 * between some of them ({@link NetnsLab#dropBetween}) during a hand-off, never have two
 * believers at one instant nor two believers of one token. Every peer samples its own
 * {@code isLeader()} (its belief probe); the checks read those samples.
 */
class LanQuorumVoteTest extends LanNamespaceScenarios {

    @Override
    protected int namespaces() {
        return 4;
    }

    @Override
    protected boolean needsOneWayLoss() {
        return true;
    }

    /** Which of a's and b's datagrams stop reaching the other; c hears both and both hear c. */
    enum Loss {
        A_TO_B, B_TO_A, BOTH_WAYS
    }

    /**
     * The review's case: c leads and yields; a ranks next and claims at once; b, which does not
     * hear a's claim, claims the same term after the hand-off grace. Before terms were votes, c's
     * echoes confirmed both, and both led with one token until the loss healed.
     */
    @ParameterizedTest
    @EnumSource(Loss.class)
    void peersThatLoseEachOthersDatagramsNeverLeadTogetherAfterAHandOff(Loss loss) throws Exception {
        // c first, so that the others hear it before they may claim: it ranks first, and leads.
        LanPeerProcess c = startPeer(2, "c", "quorum=3", "beliefs=true", "priority=1");
        c.awaitReady();
        LanPeerProcess a = startPeer(0, "a", "quorum=3", "beliefs=true");
        LanPeerProcess b = startPeer(1, "b", "quorum=3", "beliefs=true");
        List<LanPeerProcess> three = List.of(a, b, c);
        three.forEach(LanPeerProcess::awaitReady);
        await().atMost(Duration.ofSeconds(15)).until(() -> c.leads() && followsLast(a, "c") && followsLast(b, "c"));
        if (loss != Loss.B_TO_A) {
            lab.dropBetween(0, 1);
        }
        if (loss != Loss.A_TO_B) {
            lab.dropBetween(1, 0);
        }
        try {
            c.command("yield");
            await().atMost(LEASE.multipliedBy(3)).until(() -> !c.leads() && (a.leads() || b.leads()));
            await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(4)).until(() -> !c.leads());
            assertOneBelieverAtATime(three);
        }
        finally {
            lab.restoreBetween(0, 1);
            lab.restoreBetween(1, 0);
        }
        awaitSingleLeader(three, LEASE.multipliedBy(3));
        await().during(LEASE).atMost(LEASE.multipliedBy(3)).until(() -> three.stream().filter(LanPeerProcess::leads).count() == 1);
        assertOneBelieverAtATime(three);
    }

    /**
     * Four peers where three are expected (a rolling deploy's surge), split in two halves, a with
     * b and c with d: c and the others of a's half do not hear each other, and d, which yields, does
     * not hear a. Each claimer hears three peers or fewer, so a majority of three (two) would let a
     * with b and c with d both lead; the peers d echoes tell a of c.
     */
    @Test
    void aSurgeSplitInTwoHalvesElectsNoSecondLeader() throws Exception {
        LanPeerProcess d = startPeer(3, "d", "quorum=3", "beliefs=true", "priority=1");
        d.awaitReady();
        LanPeerProcess a = startPeer(0, "a", "quorum=3", "beliefs=true");
        LanPeerProcess b = startPeer(1, "b", "quorum=3", "beliefs=true");
        LanPeerProcess c = startPeer(2, "c", "quorum=3", "beliefs=true");
        List<LanPeerProcess> four = List.of(a, b, c, d);
        four.forEach(LanPeerProcess::awaitReady);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> d.leads() && followsLast(a, "d") && followsLast(b, "d") && followsLast(c, "d"));
        int[][] lost = { { 0, 2 }, { 2, 0 }, { 1, 2 }, { 2, 1 }, { 0, 3 } };
        for (int[] pair : lost) {
            lab.dropBetween(pair[0], pair[1]);
        }
        try {
            await().during(LEASE.plusMillis(500)).atMost(LEASE.multipliedBy(3)).until(d::leads);
            d.command("yield");
            await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(5)).until(() -> !d.leads());
            assertOneBelieverAtATime(four);
        }
        finally {
            for (int[] pair : lost) {
                lab.restoreBetween(pair[0], pair[1]);
            }
        }
        awaitSingleLeader(four, LEASE.multipliedBy(4));
        assertOneBelieverAtATime(four);
    }

    private static boolean followsLast(LanPeerProcess peer, String leader) {
        List<LanPeerProcess.Line> said = peer.lines("LEADER");
        return !said.isEmpty() && said.get(said.size() - 1).word(1).equals(leader);
    }
}
