package dev.leader.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every harness for one round, so that the benchmarks keep working between real runs. */
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
        String markdown = Files.readString(out);
        assertThat(markdown).contains("## 1. Graceful hand-off", "| local |", "## 2. Crash failover", "## 4. `@LeaderOnly` overhead",
                "## 7. Start-up cost", "**added by the starter**");
    }
}
