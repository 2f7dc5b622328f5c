package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.leader.election.Election;
import dev.leader.election.Leadership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many elections per backend (issue 20): three backends of one JVM, all behind one source
 * address, each running the same thousands of elections. Every election settles on one leader
 * and stays settled, and at rest a backend sends a datagram per heartbeat interval for as many
 * elections as one datagram carries, not one per election: with a datagram per election the
 * peers behind one address would exceed what {@link SourceRateLimit} lets through, and
 * elections would flap or never settle.
 */
class LanScaleTest {

    private static final int PORT = LoopbackMulticast.randomPort();

    private static final int ELECTIONS = 2_000;

    private static final Duration LEASE = Duration.ofSeconds(3);

    private static final Duration INTERVAL = LEASE.dividedBy(3);

    /** A backend's elections heartbeat in up to this many cohorts: a datagram each may be part-full. */
    private static final int TICKS_PER_INTERVAL = 7;

    private final List<LanElectionBackend> backends = new ArrayList<>();

    private final List<List<Election>> elections = new ArrayList<>();

    @BeforeAll
    static void enableMulticastOnLoopback() throws Exception {
        LoopbackMulticast.enable();
    }

    @AfterEach
    void closeBackends() {
        backends.forEach(LanElectionBackend::close);
    }

    @Test
    void thousandsOfElectionsSettleStaySettledAndShareDatagrams() {
        for (String id : List.of("a", "b", "c")) {
            LanElectionBackend backend = new LanElectionBackend(
                    LoopbackMulticast.settings(PORT, "scale-secret-of-thirty-two-bytes!!").lease(LEASE).build());
            backends.add(backend);
            List<Election> mine = new ArrayList<>(ELECTIONS);
            for (int i = 0; i < ELECTIONS; i++) {
                Election election = backend.election("scale-" + i, id);
                election.start();
                mine.add(election);
            }
            elections.add(mine);
        }

        await("every election has exactly one leader").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(unsettled()).as("unsettled elections; rejected: %s", rejected()).isZero());
        Map<String, Long> settled = tokens();
        await("no leader changes").during(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(5))
                .pollInterval(Duration.ofMillis(250)).until(() -> unsettled() == 0 && tokens().equals(settled));

        long sentBefore = sent();
        long rateLimitedBefore = rateLimited();
        long since = System.nanoTime();
        await("no leader changes at rest").during(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(5))
                .pollInterval(Duration.ofMillis(250)).until(() -> unsettled() == 0 && tokens().equals(settled));
        double intervals = (System.nanoTime() - since) / (double) INTERVAL.toNanos();
        double perBackendPerInterval = (sent() - sentBefore) / intervals / backends.size();
        assertThat(perBackendPerInterval).as("datagrams a backend sends per heartbeat interval at rest")
                .isLessThanOrEqualTo(Math.ceil((double) ELECTIONS / recordsPerDatagram()) + TICKS_PER_INTERVAL);
        assertThat(rateLimited()).as("datagrams rate-limited at rest").isEqualTo(rateLimitedBefore);
    }

    /** Elections without exactly one leader that every candidate agrees on. */
    private long unsettled() {
        long unsettled = 0;
        for (int i = 0; i < ELECTIONS; i++) {
            int leaders = 0;
            String named = null;
            boolean agreed = true;
            for (List<Election> ofBackend : elections) {
                Election election = ofBackend.get(i);
                leaders += election.isLeader() ? 1 : 0;
                String leader = election.leaderId().orElse(null);
                agreed &= leader != null && (named == null || named.equals(leader));
                named = leader;
            }
            unsettled += leaders == 1 && agreed ? 0 : 1;
        }
        return unsettled;
    }

    /** The fencing token of each election's leader. */
    private Map<String, Long> tokens() {
        Map<String, Long> tokens = new HashMap<>();
        for (List<Election> ofBackend : elections) {
            for (Election election : ofBackend) {
                election.leadership().map(Leadership::fencingToken).ifPresent(token -> tokens.put(election.name(), token));
            }
        }
        return tokens;
    }

    /** How many of this test's largest entries (a leader named, two peers echoed) fit in one datagram. */
    private static int recordsPerDatagram() {
        LanDatagram.Entry largest = new LanDatagram.Entry(LanMessage.Type.HEARTBEAT, LanMessage.ELIGIBLE,
                "scale-" + (ELECTIONS - 1), 99, "a", 1L, List.of(new LanMessage.Echo(2L, 2L), new LanMessage.Echo(3L, 3L)));
        return new LanDatagram("", "a", 1L, 1L, 0, 0, 0, List.of(largest)).room() / largest.size();
    }

    private List<Map<String, Long>> rejected() {
        return backends.stream().map(LanElectionBackend::rejectedMessages).toList();
    }

    private long rateLimited() {
        return rejected().stream().mapToLong(counts -> counts.get("rate_limited")).sum();
    }

    private long sent() {
        return backends.stream().mapToLong(LanElectionBackend::datagramsSent).sum();
    }
}
