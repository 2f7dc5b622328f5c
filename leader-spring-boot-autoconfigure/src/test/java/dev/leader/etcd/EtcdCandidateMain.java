package dev.leader.etcd;

import java.time.Duration;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;

/**
 * One candidate in a JVM of its own, for measurements that kill a whole process. Prints
 * {@code GRANTED <ms since JVM start>} when it leads. Arguments: endpoints election id lease-ms.
 */
public final class EtcdCandidateMain {

    private EtcdCandidateMain() {
    }

    public static void main(String[] args) throws Exception {
        long start = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis());
        EtcdElectionBackend backend = new EtcdElectionBackend(EtcdBackendSettings.of(args[0])
                .withLeaseDuration(Duration.ofMillis(Long.parseLong(args[3]))));
        Election election = backend.election(args[1], args[2]);
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                System.out.println("GRANTED " + (System.currentTimeMillis() - start));
                System.out.flush();
            }
        });
        election.start();
        Thread.currentThread().join();
    }
}
