package dev.leader.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.leader.autoconfigure.BackendType;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every harness for one round (the herd with 10 candidates), so that the benchmarks keep working between real runs. */
class BenchmarksSmokeTest {

    @Test
    void everyHarnessRunsOneRoundAndWritesItsTable(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("RESULTS.md");

        Report report = Benchmarks.run(Benchmarks.Settings.smoke(out));

        assertThat(report.guardScores()).extracting(Report.GuardScore::benchmark, Report.GuardScore::role)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("guarded", "leader"),
                        org.assertj.core.groups.Tuple.tuple("plain", "leader"),
                        org.assertj.core.groups.Tuple.tuple("guarded", "follower"),
                        org.assertj.core.groups.Tuple.tuple("plain", "follower"),
                        org.assertj.core.groups.Tuple.tuple("locked", "leader"),
                        org.assertj.core.groups.Tuple.tuple("locked", "follower"),
                        org.assertj.core.groups.Tuple.tuple("proxied", "leader"),
                        org.assertj.core.groups.Tuple.tuple("proxied", "follower"));
        assertThat(report.guardScores()).allSatisfy(score -> assertThat(score.nanosPerOp()).isPositive());
        assertThat(report.handoffRows()).isEqualTo(BenchBackends.all().size());
        assertThat(report.herds()).containsOnlyKeys(BackendType.ZOOKEEPER.id(), CuratorAnchor.TYPE);
        assertThat(report.herds().values()).allSatisfy(herd -> {
            assertThat(herd.candidates()).isEqualTo(10);
            assertThat(herd.jvms()).isEqualTo(2);
            assertThat(herd.grants()).isPositive();
        });
        String markdown = Files.readString(out);
        assertThat(markdown).contains("## 1. Graceful hand-off", "| local |", "| lan |", "| curator-leaderselector |", "| jdbc |",
                "| spring-integration-jdbc |", "| shedlock-jdbc |", "## 2. Crash failover",
                "## 4. `@LeaderOnly` overhead", "## 5. Load at rest", "## 6. Herd (10 ZooKeeper candidates", "| zookeeper (ours) | 10 (2) |",
                "## 7. Start-up cost", "**added by the starter, Actuator on both sides**");
    }
}
