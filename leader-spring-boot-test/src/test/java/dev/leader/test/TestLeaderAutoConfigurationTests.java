package dev.leader.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Path;
import dev.leader.spring.ElectionRegistry;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.autoconfigure.LeaderConfigurationException;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionState;
import dev.leader.local.LocalElectionBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TestLeaderAutoConfigurationTests {

    @TempDir
    Path locks;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, TestLeaderAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks);
    }

    @Test
    void runWhenModeAlwaysShouldGrantDefaultElectionAtStart() {
        runner().withPropertyValues("leader.test.mode=always").run(context -> {
            assertThat(context).hasSingleBean(TestElectionBackend.class).hasSingleBean(LeadershipControl.class);
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            assertThat(election.isLeader()).isTrue();
            assertThat(election.leadership().orElseThrow().fencingToken()).isEqualTo(1);
            assertThat(context.getBean(ElectionBackend.class).type()).isEqualTo("test");
        });
    }

    @Test
    void runWhenModeIsLowerOrUpperCaseShouldBindEither() {
        runner().withPropertyValues("leader.test.mode=MANUAL").run(context ->
                assertThat(context.getBean(TestElectionBackend.class).mode()).isEqualTo(LeadershipMode.MANUAL));
    }

    @Test
    void runWhenModeNeverShouldStayFollowerAndRefuseGrant() {
        runner().withPropertyValues("leader.test.mode=never").run(context -> {
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            assertThat(election.state()).isEqualTo(ElectionState.FOLLOWER);
            assertThat(election.isLeader()).isFalse();
            assertThat(election.leaderId()).isEmpty();
            assertThatIllegalStateException().isThrownBy(() -> context.getBean(LeadershipControl.class).grant())
                    .withMessageContaining("leader.test.mode is never").withMessageContaining("election=default");
        });
    }

    @Test
    void runWhenModeManualShouldFollowUntilGranted() {
        runner().withPropertyValues("leader.test.mode=manual").run(context -> {
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            assertThat(election.state()).isEqualTo(ElectionState.FOLLOWER);
            context.getBean(LeadershipControl.class).grant();
            assertThat(election.isLeader()).isTrue();
        });
    }

    @Test
    void runWhenModeUnsetShouldLeaveTheConfiguredBackend() {
        runner().run(context -> {
            assertThat(context).doesNotHaveBean(TestElectionBackend.class).doesNotHaveBean(LeadershipControl.class);
            assertThat(context.getBean(ElectionBackend.class)).isInstanceOf(LocalElectionBackend.class);
        });
    }

    @Test
    void runWhenModeSetShouldReplaceTheConfiguredBackendEvenWithoutItsLibrary() {
        // ZooKeeper's client is not on this module's class path: without the test backend the
        // context would fail asking for it.
        runner().withPropertyValues("leader.test.mode=manual", "leader.backend=zookeeper",
                "leader.zookeeper.connect-string=127.0.0.1:1").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ElectionBackend.class)).isInstanceOf(TestElectionBackend.class);
                });
    }

    @Test
    void runWhenModeInvalidShouldFailNamingTheProperty() {
        runner().withPropertyValues("leader.test.mode=sometimes").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(LeaderConfigurationException.class)
                    .hasMessageContaining("leader.test.mode");
        });
    }

    @Test
    void runWhenLeaderDisabledShouldBackOff() {
        runner().withPropertyValues("leader.test.mode=always", "leader.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(ElectionBackend.class).doesNotHaveBean(LeadershipControl.class));
    }

    @Test
    void runWhenApplicationDefinesItsBackendShouldKeepItAndControlShouldExplain() {
        runner().withPropertyValues("leader.test.mode=manual")
                .withBean(ElectionBackend.class, () -> new LocalElectionBackend(locks))
                .run(context -> {
                    assertThat(context).doesNotHaveBean(TestElectionBackend.class);
                    assertThatIllegalStateException().isThrownBy(() -> context.getBean(LeadershipControl.class).grant())
                            .withMessageContaining("'local' backend, not the test backend");
                });
    }
}
