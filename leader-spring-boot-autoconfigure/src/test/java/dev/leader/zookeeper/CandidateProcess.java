package dev.leader.zookeeper;

import java.time.Duration;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;

/**
 * A candidate in a JVM of its own, for kill -9 tests: {@code <connect-string> <election>
 * <candidate-id> <session-ms>}. Prints {@code GRANTED <token>} when it leads and runs until
 * killed or its stdin closes.
 */
public final class CandidateProcess {

    private CandidateProcess() {
    }

    public static void main(String[] args) throws Exception {
        ZooKeeperElectionBackend backend = new ZooKeeperElectionBackend(ZooKeeperBackendSettings.builder(args[0])
                .sessionTimeout(Duration.ofMillis(Long.parseLong(args[3]))).build());
        Election election = backend.election(args[1], args[2]);
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                System.out.println("GRANTED " + leadership.fencingToken());
                System.out.flush();
            }
        });
        election.start();
        while (System.in.read() >= 0) {
            // parent still there
        }
        backend.close();
    }
}
