package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Peers without a secret, in network namespaces, and a host of the same segment that sends them
 * made-up datagrams ({@link LanSpoofMain}): what it may cost them is bounded (peers tracked,
 * replay-window entries, datagrams read per source address), and no term it sends can overflow
 * or burn the terms. It can still take part as any peer could: only a secret keeps it out.
 */
class LanWithoutSecretTest extends LanNamespaceScenarios {

    @Override
    protected int namespaces() {
        return 3;
    }

    /** Before: the next claim after a term of Long.MAX_VALUE was Long.MIN_VALUE. */
    @Test
    void aTermFarAboveAnyKnownIsRefusedAndTheNextClaimFollowsTheLast() throws Exception {
        List<LanPeerProcess> two = startReady(2, "secret=-");
        LanPeerProcess leader = awaitSingleLeader(two, Duration.ofSeconds(10));
        LanPeerProcess follower = others(two, leader).get(0);
        await().atMost(LEASE).until(() -> !follower.lines("LEADER").isEmpty());
        long token = Long.parseLong(leader.lines("GRANTED").get(0).word(1));
        spoof("term=" + Long.MAX_VALUE);
        spoof("term=" + (token + Terms.MAX_JUMP + 1));
        for (LanPeerProcess peer : two) {
            peer.command("rejected");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> two.stream().noneMatch(p -> p.lines("REJECTED").isEmpty()));
        leader.command("yield");
        await().atMost(LEASE.multipliedBy(2)).until(() -> follower.leads());
        assertThat(follower.lines("GRANTED")).last().satisfies(l -> assertThat(Long.parseLong(l.word(1)))
                .as("the term after %d: %s", token, follower).isEqualTo(token + 1));
        for (LanPeerProcess peer : two) {
            assertThat(peer.lines("REJECTED").get(0).text()).as("%s", peer)
                    .containsPattern("malformed=[1-9]").containsPattern("term_jump=[1-9]");
        }
    }

    @Test
    void madeUpPeersAreTrackedOnlyUpToTheLimitsAndTheLeaderStays() throws Exception {
        List<LanPeerProcess> two = startReady(2, "secret=-");
        LanPeerProcess leader = awaitSingleLeader(two, Duration.ofSeconds(10));
        long grants = leader.grants();
        spoof("peers=" + (ReplayWindow.MAX_INCARNATIONS + 500));
        for (LanPeerProcess peer : two) {
            peer.command("peers");
            peer.command("senders");
            peer.command("rejected");
            await().atMost(Duration.ofSeconds(5)).until(() -> !peer.lines("SENDERS").isEmpty() && !peer.lines("REJECTED").isEmpty());
            assertThat(Integer.parseInt(peer.lines("PEERS").get(0).word(1))).as("peers tracked by %s", peer)
                    .isLessThanOrEqualTo(LanPeers.MAX_PEERS);
            assertThat(Integer.parseInt(peer.lines("SENDERS").get(0).word(1))).as("replay-window entries of %s", peer)
                    .isLessThanOrEqualTo(ReplayWindow.MAX_INCARNATIONS);
            assertThat(peer.lines("REJECTED").get(0).text()).containsPattern("peer_limit=[1-9]");
        }
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> leader.leads() && leader.grants() == grants);
    }

    @Test
    void aFloodFromOneAddressIsCutToTheRateLimitAndTheLeaderStays() throws Exception {
        List<LanPeerProcess> two = startReady(2, "secret=-");
        LanPeerProcess leader = awaitSingleLeader(two, Duration.ofSeconds(10));
        long grants = leader.grants();
        spoof("flood=" + SourceRateLimit.PER_SECOND * 20);
        for (LanPeerProcess peer : two) {
            // Asked again until its receive thread has worked through the flood (a loaded machine
            // answered the first question before it had).
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                int asked = peer.lines("REJECTED").size();
                peer.command("rejected");
                await().atMost(Duration.ofSeconds(5)).until(() -> peer.lines("REJECTED").size() > asked);
                assertThat(peer.lines("REJECTED").get(asked).text()).as("%s", peer).containsPattern("rate_limited=[1-9]");
            });
        }
        await().during(LEASE).atMost(LEASE.multipliedBy(2)).until(() -> leader.leads() && leader.grants() == grants);
    }

    @Test
    void aShortSecretOrNoneIsWarnedOfAtStartUp() throws Exception {
        LanPeerProcess none = startPeer(0, "a", "secret=-", "quorum=3");
        LanPeerProcess shortSecret = startPeer(1, "b", "secret=short");
        LanPeerProcess longSecret = startPeer(2, "c", "secret=" + "x".repeat(LanBackendSettings.MIN_SECRET_BYTES));
        List.of(none, shortSecret, longSecret).forEach(LanPeerProcess::awaitReady);
        assertThat(none.lines()).anyMatch(l -> l.text().contains("WARN") && l.text().contains("leader.lan.secret is not set")
                && l.text().contains("count toward leader.lan.quorum"));
        assertThat(shortSecret.lines()).anyMatch(l -> l.text().contains("WARN")
                && l.text().contains("leader.lan.secret has 5 bytes, fewer than " + LanBackendSettings.MIN_SECRET_BYTES));
        assertThat(longSecret.lines()).noneMatch(l -> l.text().contains("WARN") && l.text().contains("leader.lan.secret"));
    }

    /** Runs a {@link LanSpoofMain} in the third namespace until it has sent everything. */
    private void spoof(String what) throws Exception {
        LanPeerProcess spoofer = LanPeerProcess.start(namespace(2), "z", LanSpoofMain.class,
                List.of("interface=" + networkInterface(), "port=" + port, "election=" + election, what));
        peers.add(spoofer);
        await().atMost(Duration.ofSeconds(60)).until(() -> !spoofer.lines("SENT").isEmpty() || !spoofer.isAlive());
        assertThat(spoofer.lines("SENT")).as("the spoofer sent: %s", spoofer).isNotEmpty();
    }
}
