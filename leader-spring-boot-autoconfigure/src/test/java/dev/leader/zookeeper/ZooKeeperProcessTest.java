package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.leader.election.Election;
import dev.leader.testsupport.ZooKeeperEnsemble;
import dev.leader.testsupport.ZooKeeperTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failures of whole processes: a candidate's JVM killed, an ensemble losing its quorum. */
class ZooKeeperProcessTest {

    private static final Duration SESSION = Duration.ofSeconds(2);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final String name = "process-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private Election candidate(String connectString, String id) {
        ZooKeeperElectionBackend backend = new ZooKeeperElectionBackend(
                ZooKeeperBackendSettings.builder(connectString).sessionTimeout(SESSION).build());
        closeables.add(backend);
        Election election = backend.election(name, id);
        election.start();
        return election;
    }

    @Test
    void killingTheLeadersJvmHandsOverWithinTheSessionTimeoutPlusOneSecond() throws Exception {
        ZooKeeperTestServer server = new ZooKeeperTestServer();
        closeables.add(server);
        Process child = JavaProcesses.java(CandidateProcess.class,
                List.of(server.connectString(), name, "child", Long.toString(SESSION.toMillis()))).redirectErrorStream(true).start();
        closeables.add(() -> child.destroyForcibly().waitFor());
        List<String> output = collect(child);
        await().atMost(Duration.ofSeconds(20)).until(() -> output.stream().anyMatch(l -> l.startsWith("GRANTED")));
        Election follower = candidate(server.connectString(), "follower");
        await().atMost(Duration.ofSeconds(5)).until(() -> follower.leaderId().filter("child"::equals).isPresent());

        long killed = System.nanoTime();
        child.destroyForcibly(); // SIGKILL: no close, no delete; only the session timeout ends the term
        await().atMost(SESSION.plusSeconds(1)).until(follower::isLeader);
        System.out.printf("kill -9 failover: %d ms (session timeout %d ms)%n",
                (System.nanoTime() - killed) / 1_000_000, SESSION.toMillis());
    }

    @Test
    void aFrozenLeaderNoLongerBelievesOnceAnotherIsGranted() throws Exception {
        ZooKeeperTestServer server = new ZooKeeperTestServer();
        closeables.add(server);
        Process child = JavaProcesses.java(CandidateProcess.class,
                List.of(server.connectString(), name, "child", Long.toString(SESSION.toMillis()), "beliefs"))
                .redirectErrorStream(true).start();
        closeables.add(() -> {
            JavaProcesses.signal(child, "CONT");
            child.destroyForcibly().waitFor();
        });
        List<String> output = collect(child);
        await().atMost(Duration.ofSeconds(20)).until(() -> output.stream().anyMatch(l -> l.startsWith("GRANTED")));
        Election follower = candidate(server.connectString(), "follower");
        await().atMost(Duration.ofSeconds(5)).until(() -> follower.leaderId().filter("child"::equals).isPresent());

        await().atMost(Duration.ofSeconds(2)).until(() -> output.stream().anyMatch(l -> isBelief(l) && l.endsWith(" true")));
        JavaProcesses.signal(child, "STOP");
        await().atMost(SESSION.multipliedBy(3)).until(follower::isLeader);
        long grantedBy = System.nanoTime(); // both JVMs read the host's CLOCK_MONOTONIC
        JavaProcesses.signal(child, "CONT");
        await().atMost(Duration.ofSeconds(5)).until(() -> output.stream().anyMatch(l -> isBelief(l) && time(l) > grantedBy));
        assertThat(output.stream().filter(l -> isBelief(l) && time(l) > grantedBy && l.endsWith(" true")))
                .as("beliefs of the frozen leader after another was granted").isEmpty();
    }

    private static boolean isBelief(String line) {
        return line.startsWith("BELIEF ");
    }

    private static long time(String line) {
        return Long.parseLong(line.split(" ")[1]);
    }

    private static List<String> collect(Process child) {
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(output::add);
            }
            catch (java.io.IOException ex) {
                // child gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        return output;
    }

    @Test
    void quorumLossEndsEveryBeliefAndItsReturnElectsExactlyOne() throws Exception {
        ZooKeeperEnsemble ensemble = ZooKeeperEnsemble.start(3);
        closeables.add(ensemble);
        List<Election> candidates = List.of(candidate(ensemble.connectString(), "a"),
                candidate(ensemble.connectString(), "b"), candidate(ensemble.connectString(), "c"));
        await().atMost(Duration.ofSeconds(30)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);

        ensemble.server(0).pause();
        ensemble.server(1).pause();
        // Nobody may believe past its deadline (2/3 of the session after the last contact)...
        await().atMost(SESSION).until(() -> candidates.stream().noneMatch(Election::isLeader));
        // ...nor start believing again while there is no quorum.
        await().during(SESSION).atMost(SESSION.plusSeconds(1)).until(() -> candidates.stream().noneMatch(Election::isLeader));

        ensemble.server(0).resume();
        ensemble.server(1).resume();
        await().atMost(Duration.ofSeconds(30)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        await().during(SESSION).atMost(SESSION.plusSeconds(1)).until(() -> candidates.stream().filter(Election::isLeader).count() == 1);
        assertThat(candidates.stream().filter(Election::isLeader).count()).isEqualTo(1);
    }
}
