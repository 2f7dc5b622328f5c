package dev.leader.lan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.leader.election.Election;
import dev.leader.election.Leadership;

/**
 * Three LAN backends of this JVM on lo (one source address), candidates a, b and c, each running
 * the same elections {@code scale-0} to {@code scale-(N-1)}: what {@link LanScaleTest} and
 * {@link LanScaleMeasurement} look at.
 */
final class LanScaleGroup implements AutoCloseable {

    private final int count;

    private final List<LanElectionBackend> backends = new ArrayList<>();

    private final List<List<Election>> elections = new ArrayList<>();

    /** Starts every election on every backend. */
    LanScaleGroup(int count, Duration lease) {
        this.count = count;
        int port = LoopbackMulticast.randomPort();
        for (String id : List.of("a", "b", "c")) {
            LanElectionBackend backend = new LanElectionBackend(
                    LoopbackMulticast.settings(port, "scale-secret-of-thirty-two-bytes!!").lease(lease).build());
            backends.add(backend);
            List<Election> mine = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Election election = backend.election("scale-" + i, id);
                election.start();
                mine.add(election);
            }
            elections.add(mine);
        }
    }

    int backends() {
        return backends.size();
    }

    /** Elections without exactly one leader that every candidate agrees on. */
    long unsettled() {
        long unsettled = 0;
        for (int i = 0; i < count; i++) {
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
    Map<String, Long> tokens() {
        Map<String, Long> tokens = new HashMap<>();
        for (List<Election> ofBackend : elections) {
            for (Election election : ofBackend) {
                election.leadership().map(Leadership::fencingToken).ifPresent(token -> tokens.put(election.name(), token));
            }
        }
        return tokens;
    }

    List<Map<String, Long>> rejected() {
        return backends.stream().map(LanElectionBackend::rejectedMessages).toList();
    }

    /** Datagrams rate-limited by all backends so far. */
    long rateLimited() {
        return rejected().stream().mapToLong(counts -> counts.get("rate_limited")).sum();
    }

    /** Datagrams sent by all backends so far. */
    long sent() {
        return backends.stream().mapToLong(LanElectionBackend::datagramsSent).sum();
    }

    @Override
    public void close() {
        backends.forEach(LanElectionBackend::close);
    }
}
