package dev.leader.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.leader.autoconfigure.BackendType;

import static org.assertj.core.api.Assertions.assertThat;

/** The tables' rows, order and targets, from made-up figures: no server, no candidate JVM. */
class ReportTest {

    private static final Machine MACHINE = new Machine("cpu", 2, "4 GiB", "6.1", "jvm", "4", "1.37");

    private final Report report = new Report(Benchmarks.Settings.parse(new String[] { "--out", Path.of("unused.md").toString() }),
            MACHINE, Instant.EPOCH);

    @Test
    void handoffRowsFollowOurBackendsEachWithItsAnchors() {
        handoff(BenchBackends.byType(CuratorAnchor.TYPE), 9);
        handoff(BenchBackends.byType(BackendType.REDIS.id()), 3);
        handoff(BenchBackends.byType(BackendType.ZOOKEEPER.id()), 4);

        String markdown = report.markdown();

        assertThat(markdown).containsSubsequence("| zookeeper | server |", "| curator-leaderlatch | server |", "| redis | server |");
        assertThat(markdown).contains("| curator-leaderlatch | server | none | 1 | 9.00 | 9.00 | 9.00 | 9.00 | 1.0 | anchor |",
                "| 0.444 (4.00 ms / 9.00 ms) |");
    }

    @Test
    void eachTargetOfOurBackendsIsJudgedAgainstItsBoundOrItsAnchorInTheSameRun() {
        handoff(BenchBackends.byType(CuratorAnchor.TYPE), 9);
        handoff(BenchBackends.byType(BackendType.ZOOKEEPER.id()), 4);
        handoff(BenchBackends.byType(BackendType.REDIS.id()), 3);
        handoff(BenchBackends.byType(BackendType.LAN.id()), 1);

        assertThat(report.markdown()).contains(
                "| zookeeper | server | none | 1 | 4.00 | 4.00 | 4.00 | 4.00 | 1.0 | p50 <= 0.5 x curator-leaderlatch met (0.444); p99 <= 3 x p50 met |",
                "| redis | server | none | 1 | 3.00 | 3.00 | 3.00 | 3.00 | 1.0 | p50 <= 2.00 ms missed; "
                        + "p50 <= 1/20 x spring-integration-redis: anchor not in this run; p99 <= 3 x p50 met |",
                "| lan | server | none | 1 | 1.00 | 1.00 | 1.00 | 1.00 | 1.0 | p50 <= 2.00 ms met; p99 <= 3 x p50 met |");
    }

    @Test
    void warmUpRoundsAreShownApartFromTheRowsFigures() {
        long cold = Duration.ofMillis(12).toNanos();
        long warm = Duration.ofMillis(2).toNanos();
        report.handoff(BenchBackends.byType(BackendType.JDBC.id()), "server",
                new Handoff.Result(List.of(cold, cold), List.of(warm), List.of(warm), List.of()));

        assertThat(report.markdown()).contains("| jdbc | server | 2: 12.00 | 1 | 2.00 | 2.00 | 2.00 | 2.00 | 1.0 | no target for jdbc |");
    }

    @Test
    void everyBackendTypeNotMeasuredHasARowSayingSo() {
        String markdown = report.markdown();

        for (BackendType type : BackendType.values()) {
            assertThat(markdown).contains("| " + type.id() + " | not measured in this run |");
        }
    }

    @Test
    void everyAnchorIsComparedWithItsBackend() {
        String markdown = report.markdown();

        assertThat(markdown).contains("| zookeeper | curator-leaderlatch:", "| zookeeper | curator-leaderselector:",
                "| redis | spring-integration-redis:", "| jdbc | spring-integration-jdbc:", "| jdbc | shedlock-jdbc:");
    }

    private void handoff(BenchBackend backend, long millis) {
        long nanos = Duration.ofMillis(millis).toNanos();
        report.handoff(backend, "server", new Handoff.Result(List.of(), List.of(nanos), List.of(nanos), List.of()));
    }
}
