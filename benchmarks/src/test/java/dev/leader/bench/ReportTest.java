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

        assertThat(markdown).containsSubsequence("| zookeeper | server | 1 |", "| curator-leaderlatch | server | 1 |", "| redis | server | 1 |");
        assertThat(markdown).contains("| redis | server | 1 | 3.00 | 3.00 | 3.00 | 3.00 | met |",
                "| curator-leaderlatch | server | 1 | 9.00 | 9.00 | 9.00 | 9.00 | anchor |", "| 0.444 (4.00 ms / 9.00 ms) |");
    }

    @Test
    void backendsWithoutATargetSayWhich() {
        handoff(BenchBackends.byType(BackendType.LAN.id()), 7);

        assertThat(report.markdown()).contains("| lan | server | 1 | 7.00 | 7.00 | 7.00 | 7.00 | no target for lan |");
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
        report.handoff(backend, "server", new Handoff.Result(List.of(nanos), List.of(nanos), List.of()));
    }
}
