package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import dev.leader.testsupport.ZooKeeperTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a leader change costs the followers at 200 candidates (issue 21): every follower must
 * learn the new leader, with one small read, not a list of all candidates each.
 */
class ZooKeeperHerdTest {

    private static final int CANDIDATES = 200;

    /** A notification and a read of one short record, with room to spare; a child list of 200 is about 10 KB. */
    private static final long BYTES_PER_CANDIDATE = 512;

    private static ZooKeeperTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ZooKeeperTestServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void aLeaderChangeCostsEachFollowerOneSmallReadAt200Candidates() throws Exception {
        // Long sessions: 200 of them on 2 shared cores must not expire while they start.
        try (CandidateHerd herd = new CandidateHerd(server, "herd", CANDIDATES, Duration.ofSeconds(20))) {
            CandidateHerd.Change change = herd.closeLeader();

            assertThat(change.followers()).isEqualTo(CANDIDATES - 2);
            assertThat(change.maxFollowerRequests()).as("requests of one follower (%s)", change).isLessThanOrEqualTo(1);
            assertThat(change.bytesReceived()).as("bytes received by all candidates (%s)", change)
                    .isLessThanOrEqualTo(BYTES_PER_CANDIDATE * (CANDIDATES - 1));
        }
    }
}
