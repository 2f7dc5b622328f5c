package dev.leader.zookeeper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.testsupport.ZooKeeperTestServer;

/**
 * Prints hand-off and failover figures on a loopback in-process server; not a test. Hand-off:
 * two backends (two sessions), close of the leader's election → the successor's {@code granted}
 * callback, 20 rounds after 3 that warm up the JIT. Failover: a candidate JVM killed with SIGKILL
 * → the successor's {@code granted}, 5 rounds. Arguments: {@code [handoffRounds=20] [failoverRounds=5]}.
 */
public final class HandoffMeasurement {

    private static final Duration SESSION = Duration.ofSeconds(2);

    private HandoffMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        try (ZooKeeperTestServer server = new ZooKeeperTestServer()) {
            handoff(server, args.length > 0 ? Integer.parseInt(args[0]) : 20);
            failover(server, args.length > 1 ? Integer.parseInt(args[1]) : 5);
        }
        System.exit(0);
    }

    private static void handoff(ZooKeeperTestServer server, int rounds) throws Exception {
        List<ZooKeeperElectionBackend> backends = List.of(backend(server), backend(server));
        List<Long> micros = new ArrayList<>();
        for (int round = 0; round < rounds + 3; round++) {
            String name = "handoff-" + round;
            Election first = backends.get(round % 2).election(name, "first");
            CountDownLatch firstLeads = new CountDownLatch(1);
            first.addListener(grantedTo(firstLeads, new AtomicLong()));
            first.start();
            await(firstLeads);
            Election second = backends.get((round + 1) % 2).election(name, "second");
            CountDownLatch secondLeads = new CountDownLatch(1);
            AtomicLong grantedAt = new AtomicLong();
            second.addListener(grantedTo(secondLeads, grantedAt));
            second.start();
            while (second.leaderId().isEmpty()) {
                Thread.onSpinWait();
            }
            long closedAt = System.nanoTime();
            first.close();
            await(secondLeads);
            if (round >= 3) { // the first rounds warm up the JIT
                micros.add((grantedAt.get() - closedAt) / 1000);
            }
            second.close();
        }
        Collections.sort(micros);
        System.out.printf("hand-off (close -> successor granted), %d rounds: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                micros.size(), percentile(micros, 50) / 1000.0, percentile(micros, 99) / 1000.0,
                micros.get(micros.size() - 1) / 1000.0);
        backends.forEach(ZooKeeperElectionBackend::close);
    }

    private static void failover(ZooKeeperTestServer server, int rounds) throws Exception {
        ZooKeeperElectionBackend backend = backend(server);
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String name = "failover-" + round;
            Process child = JavaProcesses.java(CandidateProcess.class,
                    List.of(server.connectString(), name, "child", Long.toString(SESSION.toMillis()))).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("GRANTED")) {
                // log lines of the child
            }
            Election follower = backend.election(name, "follower");
            CountDownLatch leads = new CountDownLatch(1);
            AtomicLong grantedAt = new AtomicLong();
            follower.addListener(grantedTo(leads, grantedAt));
            follower.start();
            while (follower.leaderId().isEmpty()) {
                Thread.onSpinWait();
            }
            long killedAt = System.nanoTime();
            child.destroyForcibly();
            await(leads);
            millis.add((grantedAt.get() - killedAt) / 1_000_000);
            follower.close();
            child.waitFor();
        }
        Collections.sort(millis);
        System.out.printf("failover (kill -9 -> successor granted), session timeout %d ms, %d rounds: %s ms%n",
                SESSION.toMillis(), millis.size(), millis);
        backend.close();
    }

    private static ZooKeeperElectionBackend backend(ZooKeeperTestServer server) {
        return new ZooKeeperElectionBackend(ZooKeeperBackendSettings.builder(server.connectString()).sessionTimeout(SESSION).build());
    }

    private static ElectionListener grantedTo(CountDownLatch latch, AtomicLong at) {
        return new ElectionListener() {
            @Override
            public void granted(Leadership leadership) {
                at.set(System.nanoTime());
                latch.countDown();
            }
        };
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no grant within 30 s");
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
