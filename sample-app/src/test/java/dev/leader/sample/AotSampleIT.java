package dev.leader.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample built ahead of time ({@code ./mvnw -pl sample-app -am -Paot package}) and run with
 * {@code -Dspring.aot.enabled=true} elects a leader: the library's runtime hints and AOT processing
 * are enough. Skipped for a jar built without the {@code aot} profile.
 */
class AotSampleIT {

    @TempDir
    Path work;

    @Test
    void theAheadOfTimeSampleElectsALeader() throws IOException {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
        Assumptions.assumeTrue(processedAheadOfTime(jar), "the sample jar was built without -Paot");
        try (SampleInstances instances = new SampleInstances(work)) {
            SampleInstances.Instance sample = instances.startWithJvmOptions(List.of("-Dspring.aot.enabled=true"),
                    "--leader.local.directory=" + work.resolve("locks"));
            await().atMost(SampleInstances.BOOT).pollInterval(Duration.ofMillis(200))
                    .until(() -> instances.state(sample, "sample").equals(Optional.of("LEADER")));
            assertThat(instances.logged(sample, "Starting AOT-processed SampleApplication")).isTrue();
        }
    }

    private static boolean processedAheadOfTime(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().anyMatch(entry -> entry.getName().endsWith("__ApplicationContextInitializer.class"));
        }
    }
}
