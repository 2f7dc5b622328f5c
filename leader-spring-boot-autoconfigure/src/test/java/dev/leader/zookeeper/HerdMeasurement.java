package dev.leader.zookeeper;

import java.time.Duration;
import dev.leader.testsupport.ZooKeeperTestServer;

/**
 * Prints what a leader change costs the followers of a large election on a loopback in-process
 * server; not a test. {@code [candidates=200] [changes=3]}: that many candidates, each with a
 * session of its own through one counting proxy; the leader closes, as many times as asked.
 */
public final class HerdMeasurement {

    private HerdMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int candidates = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (ZooKeeperTestServer server = new ZooKeeperTestServer();
                CandidateHerd herd = new CandidateHerd(server, "herd", candidates, Duration.ofSeconds(20))) {
            for (int i = 1; i <= changes; i++) {
                System.out.printf("change %d, %d candidates: %s%n", i, candidates - i + 1, herd.closeLeader());
            }
        }
        System.exit(0);
    }
}
