package dev.leader.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.leader.autoconfigure.BackendType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs of the sample on each backend, against a real server: one leads; SIGTERM hands
 * over at once; a yield ({@code DELETE /actuator/leader/sample}) hands over at once; SIGKILL hands
 * over within the lease. Runs of each kind of leader-only work (the scheduled job, the
 * asynchronous export, whose work completes 300 ms after its call returned, and the leader-only
 * poller lifecycle) never overlap across instances and their fencing tokens only grow; a graceful
 * stop (SIGTERM, yield) cuts no asynchronous work.
 */
class HandoffIT {

    /** The lease of the networked backends here: crash failover is bounded by it. */
    static final Duration LEASE = Duration.ofSeconds(2);

    /** The kinds of leader-only work the sample logs runs of. */
    static final List<String> KINDS = List.of("job", "async", "poller");

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @EnumSource(BackendType.class)
    void sigtermYieldAndSigkillHandOverWithoutOverlap(BackendType backend) throws Exception {
        try (BackendServer server = BackendServer.start(backend, work.resolve("server"));
                SampleInstances apps = new SampleInstances(work)) {
            List<String> arguments = new ArrayList<>(server.sampleArguments());
            arguments.add("--sample.job.work=300ms");
            arguments.add("--sample.async.work=300ms");
            arguments.add("--leader.lease-duration=" + LEASE.toMillis() + "ms");
            // The yield (DELETE) is refused unless opted in.
            arguments.add("--management.endpoint.leader.access=unrestricted");
            for (int i = 0; i < 3; i++) {
                apps.start(arguments.toArray(String[]::new));
            }
            await().atMost(SampleInstances.BOOT).pollInterval(Duration.ofMillis(200)).until(() -> apps.allUp("sample"));
            await().atMost(Duration.ofSeconds(15)).until(() -> apps.leaders("sample").size() == 1);
            assertThat(apps.leaders("sample")).hasSize(1);

            SampleInstances.Instance first = apps.leaders("sample").get(0);
            long firstToken = apps.grants(first).get(0).token();
            awaitRunsOf(apps, firstToken);
            awaitAsyncWorkStarted(apps, first);
            long termSent = System.nanoTime();
            first.process().destroy();
            SampleInstances.Grant afterTerm = awaitGrantAfter(apps, termSent, Duration.ofSeconds(10));
            System.out.printf(backend.id() + " SIGTERM (300 ms async work in flight) -> successor granted: %.1f ms%n", (afterTerm.atNanos() - termSent) / 1e6);
            await().atMost(Duration.ofSeconds(10)).until(() -> apps.leaders("sample").size() == 1);
            assertThat(first.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertGracefulStopCutNoAsyncWork(apps, first, firstToken, afterTerm, "SIGTERM");
            assertThat(apps.logged(first, "poller stopped")).as("the poller stopped before the hand-off").isTrue();

            SampleInstances.Instance second = apps.leaders("sample").get(0);
            awaitRunsOf(apps, afterTerm.token());
            awaitAsyncWorkStarted(apps, second);
            long yieldSent = System.nanoTime();
            String yielded = apps.yieldLeadership(second, "sample");
            assertThat(yielded).contains("yielded");
            SampleInstances.Grant afterYield = awaitGrantAfter(apps, yieldSent, Duration.ofSeconds(10));
            assertGracefulStopCutNoAsyncWork(apps, second, afterTerm.token(), afterYield, "the yield");
            System.out.printf(backend.id() + " yield (300 ms async work in flight) -> successor granted: %.1f ms%n", (afterYield.atNanos() - yieldSent) / 1e6);
            await().atMost(Duration.ofSeconds(10)).until(() -> apps.leaders("sample").size() == 1);

            SampleInstances.Instance third = apps.leaders("sample").get(0);
            assertThat(third).isNotSameAs(second);
            awaitRunsOf(apps, afterYield.token());
            long killSent = System.nanoTime();
            third.process().destroyForcibly();
            SampleInstances.Grant afterKill = awaitGrantAfter(apps, killSent, LEASE.plusSeconds(8));
            System.out.printf(backend.id() + " SIGKILL -> successor granted: %.1f ms%n", (afterKill.atNanos() - killSent) / 1e6);
            await().atMost(Duration.ofSeconds(10)).until(() -> apps.leaders("sample").size() == 1);
            awaitRunsOf(apps, afterKill.token());

            List<SampleInstances.Grant> grants = apps.grants();
            assertThat(grants).as("one grant per term, no flapping").hasSize(4);
            assertThat(grants).extracting(SampleInstances.Grant::token).isSorted().doesNotHaveDuplicates();
            assertThat(afterKill.token()).isGreaterThan(afterYield.token());

            for (String kind : KINDS) {
                List<SampleInstances.JobRun> runs = apps.runs(kind);
                assertThat(runs).extracting(SampleInstances.JobRun::token).as("%s ran in every term", kind)
                        .containsAll(grants.stream().map(SampleInstances.Grant::token).toList());
                for (int i = 1; i < runs.size(); i++) {
                    SampleInstances.JobRun previous = runs.get(i - 1);
                    SampleInstances.JobRun next = runs.get(i);
                    assertThat(next.startNanos()).as("%s run %s starts after %s ended", kind, next, previous)
                            .isGreaterThan(previous.endNanos());
                    assertThat(next.token()).as("%s tokens never go back in execution order", kind)
                            .isGreaterThanOrEqualTo(previous.token());
                }
            }
        }
    }

    /** Waits until every kind of leader-only work ran in the term, so that a fault lands among running work. */
    private static void awaitRunsOf(SampleInstances apps, long token) {
        for (String kind : KINDS) {
            // A bound for a starved machine: each kind runs at least once a second on an idle one.
            await().atMost(Duration.ofSeconds(15)).until(() -> apps.runs(kind).stream().anyMatch(r -> r.token() == token));
        }
    }

    /** Waits until the instance begins a call of its asynchronous work: a fault now lands while the work runs. */
    private static void awaitAsyncWorkStarted(SampleInstances apps, SampleInstances.Instance instance) throws Exception {
        long before = apps.asyncStarts(instance);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> apps.asyncStarts(instance) > before);
    }

    /**
     * A graceful stop waits for running asynchronous work: each call the instance began finished,
     * committed under its term, before the successor was granted.
     */
    private static void assertGracefulStopCutNoAsyncWork(SampleInstances apps, SampleInstances.Instance stopped, long token,
            SampleInstances.Grant successor, String stop) throws Exception {
        assertThat(apps.unfinishedAsyncWork(stopped)).as("async work cut by %s", stop).isEmpty();
        assertThat(apps.abandoned(stopped, "async")).as("async work whose term %s ended under it", stop).isEmpty();
        long lastEnd = apps.runs("async").stream().filter(r -> r.token() == token).mapToLong(SampleInstances.JobRun::endNanos)
                .max().orElseThrow();
        assertThat(lastEnd).as("the last async work of the term ended before the successor's grant").isLessThan(successor.atNanos());
    }

    private static SampleInstances.Grant awaitGrantAfter(SampleInstances apps, long sent, Duration bound) throws Exception {
        await().atMost(bound).pollInterval(Duration.ofMillis(20)).until(() -> apps.grants().stream().anyMatch(g -> g.atNanos() > sent));
        return apps.grants().stream().filter(g -> g.atNanos() > sent).findFirst().orElseThrow();
    }
}
