package dev.leader.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import dev.leader.spring.ElectionCustomizer;
import dev.leader.spring.ElectionRegistry;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.election.AbstractElection;
import dev.leader.election.Election;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The test backend must be indistinguishable from a real one: the same scenario, grant → yield
 * → grant again → close, yields the same event sequence on the local file-lock backend as under
 * {@link LeadershipControl}, and {@code @LeaderOnly} runs under the same terms.
 */
class EventSequenceTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path locks;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, TestLeaderAutoConfiguration.class))
            .withBean(LeaderJobs.class);

    @Test
    void alwaysModeYieldProducesTheLocalBackendsSequence() throws Exception {
        Recording local = record(runner.withPropertyValues("leader.local.directory=" + locks), (context, election) -> {
            await().atMost(TIMEOUT).until(election::isLeader);
            context.getBean(LeaderJobs.class).run();
            election.yieldLeadership();
            await().atMost(TIMEOUT).until(election::isLeader);
            context.getBean(LeaderJobs.class).run();
        });
        Recording test = record(runner.withPropertyValues("leader.test.mode=always"), (context, election) -> {
            context.getBean(LeaderJobs.class).run();
            context.getBean(LeadershipControl.class).yieldLeadership();
            context.getBean(LeaderJobs.class).run();
        });
        assertThat(local.events()).containsExactly("granted", "leader self", "revoked YIELDED", "leader none", "granted",
                "leader self", "revoked CLOSED");
        assertThat(test.events()).isEqualTo(local.events());
        assertSameTerms(local);
        assertSameTerms(test);
    }

    @Test
    void manualGrantsAndYieldProduceTheLocalBackendsSequence() throws Exception {
        Recording local = record(runner.withPropertyValues("leader.local.directory=" + locks), (context, election) -> {
            await().atMost(TIMEOUT).until(election::isLeader);
            context.getBean(LeaderJobs.class).run();
            election.yieldLeadership();
            await().atMost(TIMEOUT).until(election::isLeader);
            context.getBean(LeaderJobs.class).run();
        });
        Recording test = record(runner.withPropertyValues("leader.test.mode=manual"), (context, election) -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            control.grant();
            context.getBean(LeaderJobs.class).run();
            control.yieldLeadership();
            context.getBean(LeaderJobs.class).run();
            control.grant();
            context.getBean(LeaderJobs.class).run();
        });
        assertThat(test.events()).isEqualTo(local.events());
        assertThat(test.tokensRun()).as("the guarded call while following was skipped").hasSize(2);
        assertSameTerms(test);
    }

    /** Guarded calls ran under the granted terms, whose tokens strictly increase. */
    private static void assertSameTerms(Recording recording) {
        assertThat(recording.grantedTokens()).isSorted().doesNotHaveDuplicates().hasSize(2);
        assertThat(recording.tokensRun()).isEqualTo(recording.grantedTokens());
        assertThat(recording.revokedTokens()).isEqualTo(recording.grantedTokens());
    }

    private Recording record(ApplicationContextRunner runner, BiConsumer<AssertableApplicationContext, Election> scenario)
            throws InterruptedException {
        Recording recording = new Recording();
        AtomicReference<Election> election = new AtomicReference<>();
        runner.withBean(ElectionCustomizer.class, () -> recording).run(context -> {
            assertThat(context).hasNotFailed();
            election.set(context.getBean(ElectionRegistry.class).defaultElection());
            scenario.accept(context, election.get());
            recording.ran(context.getBean(LeaderJobs.class).tokensRun());
        });
        // Closing the context closed the election; the last revoke is delivered after that.
        assertThat(((AbstractElection) election.get()).awaitEventsDelivered(TIMEOUT)).isTrue();
        return recording;
    }

    /** Every transition of the default election, as its listeners receive them. */
    static final class Recording implements ElectionCustomizer, ElectionListener {

        private final List<String> events = new ArrayList<>();

        private final List<Long> granted = new ArrayList<>();

        private final List<Long> revoked = new ArrayList<>();

        private final List<Long> tokensRun = new ArrayList<>();

        private volatile String self = "";

        @Override
        public void customize(Election election) {
            if (election.name().equals("default")) {
                self = election.candidateId();
                election.addListener(this);
            }
        }

        @Override
        public synchronized void granted(Leadership leadership) {
            events.add("granted");
            granted.add(leadership.fencingToken());
        }

        @Override
        public synchronized void revoked(Leadership leadership, RevokeReason reason) {
            events.add("revoked " + reason);
            revoked.add(leadership.fencingToken());
        }

        @Override
        public synchronized void leaderChanged(Optional<String> leaderId) {
            events.add("leader " + leaderId.map(id -> id.equals(self) ? "self" : "other").orElse("none"));
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }

        synchronized List<Long> grantedTokens() {
            return List.copyOf(granted);
        }

        synchronized List<Long> revokedTokens() {
            return List.copyOf(revoked);
        }

        synchronized void ran(List<Long> tokens) {
            tokensRun.addAll(tokens);
        }

        synchronized List<Long> tokensRun() {
            return List.copyOf(tokensRun);
        }
    }
}
