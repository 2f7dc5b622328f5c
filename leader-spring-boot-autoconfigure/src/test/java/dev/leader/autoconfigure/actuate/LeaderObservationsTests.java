package dev.leader.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.election.Election;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderOnly;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Observations of terms and guarded calls, recorded by a handler of a real observation registry. */
class LeaderObservationsTests {

    @TempDir
    Path locks;

    /** What a tracer would see: every stopped observation, with its tags. */
    static final class Recorder implements ObservationHandler<Observation.Context> {

        final List<String> stopped = new CopyOnWriteArrayList<>();

        @Override
        public void onStop(Observation.Context context) {
            StringBuilder line = new StringBuilder(context.getName());
            for (KeyValue tag : context.getLowCardinalityKeyValues()) {
                line.append(' ').append(tag.getKey()).append('=').append(tag.getValue());
            }
            stopped.add(line.toString());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    private ApplicationContextRunner runner(Recorder recorder) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, LeaderObservationAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks)
                .withBean(ObservationRegistry.class, () -> {
                    ObservationRegistry registry = ObservationRegistry.create();
                    registry.observationConfig().observationHandler(recorder);
                    return registry;
                })
                .withBean(Job.class);
    }

    @Test
    void aTermAndTheCallsItRanAreObservedAndSoAreSkippedCalls() {
        Recorder onLeader = new Recorder();
        Recorder onFollower = new Recorder();
        runner(onLeader).run(leader -> {
            Election election = leader.getBean(ElectionRegistry.class).defaultElection();
            await().atMost(Duration.ofSeconds(10)).until(election::isLeader);
            leader.getBean(Job.class).run();
            runner(onFollower).run(follower -> follower.getBean(Job.class).run());
            election.yieldLeadership();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(onLeader.stopped).containsSubsequence(
                    "leader.only election=default outcome=ran",
                    "leader.term backend=local election=default reason=yielded"));
            assertThat(onFollower.stopped).containsExactly("leader.only election=default outcome=skipped");
        });
    }

    static class Job {

        @LeaderOnly
        public void run() {
        }
    }
}
