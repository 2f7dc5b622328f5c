package dev.leader.sample;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.leader.autoconfigure.BackendType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Graceful hand-off of the sample, measured: SIGTERM of the leader to the successor's grant,
 * over {@code -Dmeasure.rounds} rounds per backend, on the shared monotonic clock. Not part of
 * the default build (figures come from measurements, not from assertions):
 * {@code ./mvnw -pl sample-app -am verify -Dit.test=HandoffMeasurementIT -Dmeasure.rounds=20 -Dsurefire.skip=true}
 */
@EnabledIfSystemProperty(named = "measure.rounds", matches = "\\d+")
class HandoffMeasurementIT {

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @EnumSource(BackendType.class)
    void sigtermHandoff(BackendType backend) throws Exception {
        // -Dmeasure.backends=lan,redis measures only those.
        Assumptions.assumeTrue(List.of(System.getProperty("measure.backends", backend.id()).split(",")).contains(backend.id()));
        int rounds = Integer.getInteger("measure.rounds");
        try (BackendServer server = BackendServer.start(backend, work.resolve("server"));
                SampleInstances apps = new SampleInstances(work)) {
            List<String> arguments = new ArrayList<>(server.sampleArguments());
            // The hand-off itself: no leader-only work of any kind for the stop to wait for.
            arguments.add("--sample.job.work=1ms");
            arguments.add("--sample.async.work=1ms");
            arguments.add("--sample.poller.work=1ms");
            arguments.add("--leader.lease-duration=2s");
            String[] args = arguments.toArray(String[]::new);
            for (int i = 0; i < 3; i++) {
                apps.start(args);
            }
            List<Double> millis = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                // A leader and a follower suffice; the replacement started last round may still be booting.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> apps.leaders("sample").size() == 1 && apps.followers("sample") >= 1);
                SampleInstances.Instance leader = apps.leaders("sample").get(0);
                long sent = System.nanoTime();
                leader.process().destroy();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .until(() -> apps.grants().stream().anyMatch(g -> g.atNanos() > sent));
                long granted = apps.grants().stream().filter(g -> g.atNanos() > sent).findFirst().orElseThrow().atNanos();
                millis.add((granted - sent) / 1e6);
                leader.process().waitFor();
                apps.start(args);
            }
            millis.sort(Double::compare);
            System.out.printf("MEASURE %s SIGTERM->granted over %d rounds: p50 %.1f ms, p99 %.1f ms, min %.1f, max %.1f%n", backend.id(),
                    rounds, percentile(millis, 50), percentile(millis, 99), millis.get(0), millis.get(millis.size() - 1));
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
