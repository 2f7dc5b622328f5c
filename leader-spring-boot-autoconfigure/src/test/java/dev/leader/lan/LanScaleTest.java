package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    private static final int ELECTIONS = 2_000;

    private static final Duration LEASE = Duration.ofSeconds(3);

    private static final Duration INTERVAL = LEASE.dividedBy(3);

    /** A backend's elections heartbeat in up to this many cohorts: a datagram each may be part-full. */
    private static final int TICKS_PER_INTERVAL = 7;

    private LanScaleGroup group;

    @BeforeAll
    static void enableMulticastOnLoopback() throws Exception {
        LoopbackMulticast.enable();
    }

    @AfterEach
    void closeBackends() {
        group.close();
    }

    @Test
    void thousandsOfElectionsSettleStaySettledAndShareDatagrams() {
        group = new LanScaleGroup(ELECTIONS, LEASE);

        await("every election has exactly one leader").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(group.unsettled()).as("unsettled elections; rejected: %s", group.rejected())
                        .isZero());
        Map<String, Long> settled = group.tokens();
        await("no leader changes").during(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(5))
                .pollInterval(Duration.ofMillis(250)).until(() -> group.unsettled() == 0 && group.tokens().equals(settled));

        long sentBefore = group.sent();
        long rateLimitedBefore = group.rateLimited();
        long since = System.nanoTime();
        await("no leader changes at rest").during(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(5))
                .pollInterval(Duration.ofMillis(250)).until(() -> group.unsettled() == 0 && group.tokens().equals(settled));
        double intervals = (System.nanoTime() - since) / (double) INTERVAL.toNanos();
        double perBackendPerInterval = (group.sent() - sentBefore) / intervals / group.backends();
        assertThat(perBackendPerInterval).as("datagrams a backend sends per heartbeat interval at rest")
                .isLessThanOrEqualTo(Math.ceil((double) ELECTIONS / recordsPerDatagram()) + TICKS_PER_INTERVAL);
        assertThat(group.rateLimited()).as("datagrams rate-limited at rest").isEqualTo(rateLimitedBefore);
    }

    /** How many of this test's largest entries (a leader named, two peers echoed) fit in one datagram. */
    private static int recordsPerDatagram() {
        LanDatagram.Entry largest = new LanDatagram.Entry(LanMessage.Type.HEARTBEAT, LanMessage.ELIGIBLE,
                "scale-" + (ELECTIONS - 1), 99, "a", 1L, List.of(new LanMessage.Echo(2L, 2L), new LanMessage.Echo(3L, 3L)));
        return new LanDatagram("", "a", 1L, 1L, 0, 0, 0, List.of(largest)).room() / largest.size();
    }
}
