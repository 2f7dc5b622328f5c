package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Peers in network namespaces of their own, joined by a bridge: real links to cut and heal.
 * Skipped, with the reason, where namespaces cannot be made; {@link LanLoopbackProcessTest}
 * still runs there.
 */
class LanNamespaceTest extends LanNamespaceScenarios {

    @Override
    protected int namespaces() {
        return 5;
    }

    @Test
    void threePeersFailOverAfterKillAndHandOverAfterTerm() throws Exception {
        failOverAfterKillAndHandOverAfterTerm();
    }

    @Test
    void aStalledBestPeerIsPassedOverInAHandOff() throws Exception {
        stalledBestPeerIsPassedOverInAHandOff();
    }

    @Test
    void fivePeersStartedTogetherElectOneLeaderWithoutFlapping() throws Exception {
        List<LanPeerProcess> five = startReady(5, "wait=true");
        for (LanPeerProcess peer : five) {
            peer.command("start");
        }
        awaitSingleLeader(five, Duration.ofSeconds(10));
        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3))
                .until(() -> five.stream().mapToLong(LanPeerProcess::grants).sum() == 1);
    }

    @Test
    void partitionedLeaderIsPreemptedWhenThePartitionHeals() throws Exception {
        List<LanPeerProcess> three = startReady(3);
        LanPeerProcess first = awaitSingleLeader(three, Duration.ofSeconds(10));
        int cut = three.indexOf(first);
        lab.linkDown(cut);
        // Available, not consistent: the majority side elects a leader of its own.
        LanPeerProcess second = awaitSingleLeader(others(three, first), LEASE.plusSeconds(8));
        assertThat(first.leads()).as("the cut-off leader still believes (LAN is AP)").isTrue();
        lab.linkUp(cut);
        await().atMost(LEASE.plusSeconds(2)).until(() -> !first.leads());
        assertThat(first.lines("REVOKED")).last().satisfies(l -> assertThat(l.word(1)).isEqualTo("PREEMPTED"));
        assertThat(awaitSingleLeader(three, LEASE)).isSameAs(second);
    }

    @Test
    void withQuorumTheMinoritySideHasNoLeaderDuringAPartition() throws Exception {
        List<LanPeerProcess> three = startReady(3, "quorum=3");
        LanPeerProcess first = awaitSingleLeader(three, Duration.ofSeconds(10));
        int cut = three.indexOf(first);
        lab.linkDown(cut);
        await().atMost(LEASE.plusMillis(500)).until(() -> !first.leads());
        List<LanPeerProcess> majority = others(three, first);
        awaitSingleLeader(majority, LEASE.plusSeconds(8));
        await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3))
                .until(() -> !first.leads() && first.grants() == 1
                        && majority.stream().filter(LanPeerProcess::leads).count() == 1);
        lab.linkUp(cut);
        await().during(LEASE).atMost(LEASE.multipliedBy(3))
                .until(() -> three.stream().filter(LanPeerProcess::leads).count() == 1 && !first.leads());
    }

    /**
     * One-way loss: the leader's datagrams are dropped while it still hears the others, so only
     * what they echo of its messages can tell it that they no longer hear it. Found by the fault
     * suite (a cut-off leader believed ~490 ms into its successor's term).
     */
    @Test
    void withQuorumALeaderWhoseDatagramsAreLostStopsBelievingBeforeASuccessorIsGranted() throws Exception {
        String reason = NetnsLab.egressDropUnavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "one-way loss test skipped: " + reason);
        leaderStopsBelievingBeforeASuccessorIsGranted((i, leader) -> lab.dropOutgoing(i),
                (i, leader) -> lab.restoreOutgoing(i));
    }

    @Test
    void withQuorumACutOffLeaderStopsBelievingBeforeASuccessorIsGranted() throws Exception {
        leaderStopsBelievingBeforeASuccessorIsGranted((i, leader) -> lab.linkDown(i), (i, leader) -> lab.linkUp(i));
    }

    /**
     * The fault suite's case: the leader, cut off, had heard the others later than they had heard
     * it. In a group started together the heartbeats keep the phase of the leader's claim, which
     * the others answered at once, so a plain cut never shows it: here the leader's datagrams are
     * lost for a heartbeat interval before its link goes down.
     */
    @Test
    void withQuorumALeaderCutOffAfterItsDatagramsWereLostStopsBelievingBeforeASuccessorIsGranted() throws Exception {
        String reason = NetnsLab.egressDropUnavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "one-way loss test skipped: " + reason);
        leaderStopsBelievingBeforeASuccessorIsGranted((i, leader) -> {
            lab.dropOutgoing(i);
            await().during(LEASE.dividedBy(3)).atMost(LEASE).until(leader::leads);
            lab.linkDown(i);
        }, (i, leader) -> {
            lab.linkUp(i);
            lab.restoreOutgoing(i);
        });
    }

    private interface LinkFault {

        void apply(int peer, LanPeerProcess leader) throws Exception;
    }

    private void leaderStopsBelievingBeforeASuccessorIsGranted(LinkFault fault, LinkFault heal) throws Exception {
        List<LanPeerProcess> three = startReady(3, "quorum=3");
        LanPeerProcess first = awaitSingleLeader(three, Duration.ofSeconds(10));
        List<LanPeerProcess> majority = others(three, first);
        await().atMost(LEASE).until(() -> majority.stream().allMatch(p -> !p.lines("LEADER").isEmpty()
                && p.lines("LEADER").get(p.lines("LEADER").size() - 1).word(1).equals(first.id)));
        int cut = three.indexOf(first);
        fault.apply(cut, first);
        try {
            LanPeerProcess second = awaitSingleLeader(majority, LEASE.plusSeconds(8));
            await().atMost(LEASE.multipliedBy(2)).until(() -> !first.lines("REVOKED").isEmpty());
            LanPeerProcess.Line revoked = first.lines("REVOKED").get(0);
            long granted = second.lastGrantNanos();
            long stoppedBelieving = Long.parseLong(revoked.word(3));
            System.out.println("LAN old leader stopped believing " + (granted - stoppedBelieving) / 1_000_000
                    + " ms before its successor was granted (" + revoked.word(1) + ")");
            // PREEMPTED would mean it believed until its successor's claim, sent just before that
            // grant, reached it: into the successor's term.
            assertThat(revoked.word(1)).as("how the old leader stopped believing: %s", first).isEqualTo("LEASE_EXPIRED");
            assertThat(stoppedBelieving).as("the old leader's revoke (%s) precedes the successor's grant at %d: %s",
                    revoked.text(), granted, first).isLessThan(granted);
            await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> !first.leads() && first.grants() == 1);
        }
        finally {
            heal.apply(cut, first);
        }
    }

    @Test
    void aPeerWithTheWrongSecretCannotTakePart() throws Exception {
        // "a" would win every tie-break, if it could take part.
        LanPeerProcess intruder = startPeer(0, "a", "secret=wrong-secret");
        LanPeerProcess b = startPeer(1, "b");
        LanPeerProcess c = startPeer(2, "c");
        List.of(intruder, b, c).forEach(LanPeerProcess::awaitReady);
        // b ranks above c, but on a busy machine c may be up first and keep its term: either leads.
        LanPeerProcess leader = awaitSingleLeader(List.of(b, c), Duration.ofSeconds(10));
        LanPeerProcess follower = leader == b ? c : b;
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> leader.leads() && !follower.leads());
        assertThat(b.lines("LEADER")).noneMatch(l -> l.word(1).equals("a"));
        assertThat(c.lines("LEADER")).noneMatch(l -> l.word(1).equals("a"));
        leader.command("rejected");
        await().atMost(Duration.ofSeconds(5)).until(() -> !leader.lines("REJECTED").isEmpty());
        assertThat(leader.lines("REJECTED").get(0).text()).containsPattern("bad_signature=[1-9]");
    }
}
