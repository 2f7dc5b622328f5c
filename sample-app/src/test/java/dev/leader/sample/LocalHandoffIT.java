package dev.leader.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs of the sample on the local backend: one leads; SIGTERM hands over at once; SIGKILL
 * hands over when the kernel drops the dead process's lock; job runs never overlap and fencing
 * tokens only grow.
 */
class LocalHandoffIT {

    @TempDir
    Path work;

    @Test
    void sigtermAndSigkillHandOverWithoutOverlap() throws Exception {
        try (SampleInstances apps = new SampleInstances(work)) {
            for (int i = 0; i < 3; i++) {
                apps.start("--leader.local.directory=" + work.resolve("locks"), "--sample.job.work=300ms");
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> apps.allUp("sample"));
            await().atMost(Duration.ofSeconds(10)).until(() -> apps.leaders("sample").size() == 1);
            assertThat(apps.leaders("sample")).hasSize(1);

            SampleInstances.Instance first = apps.leaders("sample").get(0);
            long termSent = System.nanoTime();
            first.process().destroy();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> apps.grants().stream().anyMatch(g -> g.atNanos() > termSent));
            SampleInstances.Grant afterTerm = apps.grants().stream().filter(g -> g.atNanos() > termSent).findFirst().orElseThrow();
            System.out.printf("local SIGTERM -> successor granted: %.1f ms%n", (afterTerm.atNanos() - termSent) / 1e6);
            await().atMost(Duration.ofSeconds(10)).until(() -> apps.leaders("sample").size() == 1);

            SampleInstances.Instance second = apps.leaders("sample").get(0);
            // Let it run a job or two so that the kill is likely to land inside one.
            await().atMost(Duration.ofSeconds(5)).until(() -> apps.jobRuns().stream().anyMatch(r -> r.token() == afterTerm.token()));
            long killSent = System.nanoTime();
            second.process().destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> apps.grants().stream().anyMatch(g -> g.atNanos() > killSent));
            SampleInstances.Grant afterKill = apps.grants().stream().filter(g -> g.atNanos() > killSent).findFirst().orElseThrow();
            System.out.printf("local SIGKILL -> successor granted: %.1f ms%n", (afterKill.atNanos() - killSent) / 1e6);
            await().atMost(Duration.ofSeconds(10)).until(() -> apps.leaders("sample").size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> apps.jobRuns().stream().anyMatch(r -> r.token() == afterKill.token()));

            List<SampleInstances.Grant> grants = apps.grants();
            assertThat(grants).hasSize(3);
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
