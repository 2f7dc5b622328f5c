package dev.leader.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import dev.leader.autoconfigure.BackendType;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault suite's short mode, which the build runs: every backend, three fault apps, every
 * kind of fault the backend supports at least once (30 s or more), and the checker must find nothing. The seed
 * is printed; {@code -Dfault.seed=N} replays a plan, {@code -Dfault.seconds=N} lengthens it, {@code -Dfault.backends=local}
 * runs only the backends named.
 */
class FaultSuiteIT {

    private static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path work;

    /** Every {@link BackendType}, named by its id as in the soak's {@code --backends}; {@code -Dfault.backends=local,redis} runs only those. */
    static Stream<Named<BackendType>> backends() {
        List<String> only = Arrays.stream(System.getProperty("fault.backends", "").split(",")).filter(id -> !id.isBlank()).toList();
        return Arrays.stream(BackendType.values()).filter(type -> only.isEmpty() || only.contains(type.id()))
                .map(type -> Named.of(type.id(), type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void shortRunFindsNoViolation(BackendType backend) throws Exception {
        long seed = Long.getLong("fault.seed", System.nanoTime());
        Duration duration = Duration.ofSeconds(Long.getLong("fault.seconds", 30));
        System.out.println(backend.id() + ": fault plan seed " + seed + " (replay with -Dfault.seed=" + seed + ")");
        Path jar = Path.of(System.getProperty("fault.app.jar"));

        FaultRun run = new FaultRun(backend, jar, work, LEASE, 3, seed);
        FaultRun.Result result = run.run(duration);

        System.out.println(ResultTable.render(List.of(result)));
        assertThat(result.verdict().violations()).as("checker, seed %d", seed).isEmpty();
        assertThat(result.healViolations()).as("one leader after each fault, seed %d", seed).isEmpty();
        for (WorkKind kind : WorkKind.values()) {
            assertThat(result.verdict().of(kind).executions()).as("%s work ran", kind.label()).isPositive();
        }
        assertThat(result.faults().keySet()).as("every kind of fault the backend supports").containsExactlyInAnyOrderElementsOf(result.planned());
    }
}
