package dev.leader.etcd;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.testsupport.EtcdCluster;

/**
 * Prints handoff (close of the leader → successor granted, 20 rounds) and failover (kill -9 of a
 * leading JVM → successor granted) on a real etcd. Not a test: run it by hand, see the report.
 */
public final class EtcdHandoffMeasure {

    private static final Duration LEASE = Duration.ofSeconds(2);

    private EtcdHandoffMeasure() {
    }

    public static void main(String[] args) throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1)) {
            handoff(etcd, 20);
            failover(etcd, args.length > 0 ? Integer.parseInt(args[0]) : 5);
        }
        System.exit(0);
    }

    private static void handoff(EtcdCluster etcd, int rounds) throws Exception {
        String name = "handoff-" + UUID.randomUUID().toString().substring(0, 8);
        BlockingQueue<Long> grantedAt = new ArrayBlockingQueue<>(100);
        List<EtcdElectionBackend> backends = new ArrayList<>();
        List<Election> live = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            live.add(join(etcd, name, "c" + i, backends, grantedAt));
        }
        grantedAt.poll(10, TimeUnit.SECONDS);
        List<Double> millis = new ArrayList<>();
        for (int round = 0; round < rounds + 2; round++) {
            Election leader = live.stream().filter(Election::isLeader).findFirst().orElseThrow();
            // Let the followers settle into their watches, as in a running application.
            Thread.sleep(200);
            long before = System.nanoTime();
            leader.close();
            Long granted = grantedAt.poll(10, TimeUnit.SECONDS);
            if (granted == null) {
                throw new IllegalStateException("no successor within 10 s in round " + round);
            }
            if (round >= 2) {
                millis.add((granted - before) / 1e6);
            }
            live.remove(leader);
            live.add(join(etcd, name, "r" + round, backends, grantedAt));
        }
        System.out.println("handoff rounds, ms: " + millis.stream().map(m -> String.format("%.1f", m)).toList());
        Collections.sort(millis);
        System.out.printf("handoff (close -> successor granted), %d rounds: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                millis.size(), percentile(millis, 50), percentile(millis, 99), millis.get(millis.size() - 1));
        for (EtcdElectionBackend backend : backends) {
            backend.close();
        }
    }

    private static void failover(EtcdCluster etcd, int rounds) throws Exception {
        List<Double> millis = new ArrayList<>();
        List<Long> startups = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String name = "failover-" + UUID.randomUUID().toString().substring(0, 8);
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), EtcdCandidateMain.class.getName(),
                    etcd.endpoints().get(0).toString(), name, "child", String.valueOf(LEASE.toMillis()))
                    .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("GRANTED")) {
                line = out.readLine();
            }
            if (line == null) {
                throw new IllegalStateException("child did not lead: " + line);
            }
            startups.add(Long.parseLong(line.substring("GRANTED ".length())));
            BlockingQueue<Long> grantedAt = new ArrayBlockingQueue<>(10);
            List<EtcdElectionBackend> backends = new ArrayList<>();
            Election follower = join(etcd, name, "follower", backends, grantedAt);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!follower.leaderId().isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(300);
            long before = System.nanoTime();
            child.destroyForcibly();
            Long granted = grantedAt.poll(LEASE.multipliedBy(5).toMillis(), TimeUnit.MILLISECONDS);
            if (granted == null) {
                throw new IllegalStateException("no failover in round " + round);
            }
            millis.add((granted - before) / 1e6);
            for (EtcdElectionBackend backend : backends) {
                backend.close();
            }
        }
        Collections.sort(millis);
        System.out.printf("failover (kill -9 of the leading JVM -> successor granted), lease %d ms, %d rounds: p50 %.0f ms, max %.0f ms%n",
                LEASE.toMillis(), millis.size(), percentile(millis, 50), millis.get(millis.size() - 1));
        System.out.println("start-up (JVM start -> first grant, fresh JVM, no contention), ms: " + startups);
    }

    private static Election join(EtcdCluster etcd, String name, String id, List<EtcdElectionBackend> backends,
            BlockingQueue<Long> grantedAt) {
        EtcdElectionBackend backend = new EtcdElectionBackend(EtcdBackendSettings.of(etcd.endpoints()).withLeaseDuration(LEASE));
        backends.add(backend);
        Election election = backend.election(name, id);
        election.addListener(new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                grantedAt.add(System.nanoTime());
            }
        });
        election.start();
        return election;
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
