package dev.leader.zookeeper;

import java.time.Duration;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;

/**
 * A candidate in a JVM of its own, for kill -9 tests: {@code <connect-string> <election>
 * <candidate-id> <session-ms> [beliefs]}. Prints {@code GRANTED <token>} when it leads and runs
 * until killed or its stdin closes; with {@code beliefs}, also {@code BELIEF <nanoTime> <isLeader>}
 * every 10 ms (the clock read before the question, so a freeze between them errs towards "late").
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
        if (args.length > 4 && args[4].equals("beliefs")) {
            Thread reporter = new Thread(() -> {
                while (true) {
                    long now = System.nanoTime();
                    boolean leader = election.isLeader();
                    System.out.println("BELIEF " + now + " " + leader);
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                }
            }, "belief-reporter");
            reporter.setDaemon(true);
            reporter.start();
        }
        while (System.in.read() >= 0) {
            // parent still there
        }
        backend.close();
    }
}
