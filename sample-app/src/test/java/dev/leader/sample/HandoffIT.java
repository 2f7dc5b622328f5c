package dev.leader.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs of the sample on each backend, against a real server: one leads; SIGTERM hands
 * over at once; SIGKILL hands over within the lease; job runs never overlap and fencing tokens
 * only grow.
 */
class HandoffIT {

    /** The lease of the networked backends here: crash failover is bounded by it. */
    static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "local", "zookeeper", "redis", "etcd", "lan" })
    void sigtermAndSigkillHandOverWithoutOverlap(String backend) throws Exception {
        try (BackendServer server = BackendServer.start(backend, work.resolve("server"));
                SampleInstances apps = new SampleInstances(work)) {
            List<String> arguments = new ArrayList<>(server.sampleArguments());
            arguments.add("--sample.job.work=300ms");
            arguments.add("--leader.lease-duration=" + LEASE.toMillis() + "ms");
            for (int i = 0; i < 3; i++) {
                apps.start(arguments.toArray(String[]::new));
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> apps.allUp("sample"));
            await().atMost(Duration.ofSeconds(15)).until(() -> apps.leaders("sample").size() == 1);
            assertThat(apps.leaders("sample")).hasSize(1);

            SampleInstances.Instance first = apps.leaders("sample").get(0);
            long termSent = System.nanoTime();
            first.process().destroy();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> apps.grants().stream().anyMatch(g -> g.atNanos() > termSent));
            SampleInstances.Grant afterTerm = apps.grants().stream().filter(g -> g.atNanos() > termSent).findFirst().orElseThrow();
            System.out.printf(backend + " SIGTERM -> successor granted: %.1f ms%n", (afterTerm.atNanos() - termSent) / 1e6);
            await().atMost(Duration.ofSeconds(10)).until(() -> apps.leaders("sample").size() == 1);

            SampleInstances.Instance second = apps.leaders("sample").get(0);
            // Let it run a job or two so that the kill is likely to land inside one.
            await().atMost(Duration.ofSeconds(5)).until(() -> apps.jobRuns().stream().anyMatch(r -> r.token() == afterTerm.token()));
            long killSent = System.nanoTime();
            second.process().destroyForcibly();
            await().atMost(LEASE.plusSeconds(8)).pollInterval(Duration.ofMillis(20))
                    .until(() -> apps.grants().stream().anyMatch(g -> g.atNanos() > killSent));
            SampleInstances.Grant afterKill = apps.grants().stream().filter(g -> g.atNanos() > killSent).findFirst().orElseThrow();
            System.out.printf(backend + " SIGKILL -> successor granted: %.1f ms%n", (afterKill.atNanos() - killSent) / 1e6);
            await().atMost(Duration.ofSeconds(10)).until(() -> apps.leaders("sample").size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> apps.jobRuns().stream().anyMatch(r -> r.token() == afterKill.token()));

            List<SampleInstances.Grant> grants = apps.grants();
            assertThat(grants).as("one grant per term, no flapping").hasSize(3);
            assertThat(grants).extracting(SampleInstances.Grant::token).isSorted().doesNotHaveDuplicates();
            assertThat(afterKill.token()).isGreaterThan(afterTerm.token());

            List<SampleInstances.JobRun> runs = new ArrayList<>(apps.jobRuns());
            for (int i = 1; i < runs.size(); i++) {
                SampleInstances.JobRun previous = runs.get(i - 1);
                SampleInstances.JobRun next = runs.get(i);
                assertThat(next.startNanos()).as("run %s starts after %s ended", next, previous).isGreaterThan(previous.endNanos());
                assertThat(next.token()).as("tokens never go back in execution order").isGreaterThanOrEqualTo(previous.token());
            }
        }
    }
}
