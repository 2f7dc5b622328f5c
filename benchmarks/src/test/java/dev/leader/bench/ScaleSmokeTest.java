package dev.leader.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.leader.autoconfigure.BackendType;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the scale benchmark for five elections per application on Redis, with and without spreading, so that it keeps working. */
class ScaleSmokeTest {

    @Test
    void threeApplicationsSettleFiveElectionsAndTheTableSaysSo(@TempDir Path dir) throws Exception {
        Scale.Settings settings = new Scale.Settings(List.of(BackendType.REDIS.id()), List.of(), List.of(5), Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(20), true, dir.resolve("scale.md"));

        List<ScaleRun.Result> results = Scale.run(settings);

        assertThat(results).extracting(ScaleRun.Result::spread).containsExactly(false, true);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.note()).isEmpty();
            assertThat(result.settled()).isTrue();
            assertThat(result.leaders().oneEach(5)).isTrue();
        });
        ScaleRun.Result plain = results.get(0);
        assertThat(plain.added()).hasSize(ScaleRun.APPLICATIONS)
                .allSatisfy(added -> assertThat(added.sockets()).isPositive());
        assertThat(plain.requestsPerSecond()).isPositive();
        assertThat(results.get(1).leaders().maxShare()).isLessThanOrEqualTo(ScaleRun.fairShare(5));
        assertThat(ScaleTable.markdown(results)).contains("| redis | 5 | off |", "| redis | 5 | on |");
    }
}
