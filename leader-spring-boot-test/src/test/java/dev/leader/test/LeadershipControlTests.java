package dev.leader.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.leader.spring.ElectionRegistry;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.spring.NotLeaderException;
import dev.leader.spring.OnLeaderChangedEvent;
import dev.leader.spring.OnRevokedEvent;
import dev.leader.election.Election;
import dev.leader.election.ElectionState;
import dev.leader.election.LeaseDeadline;
import dev.leader.election.Leadership;
import dev.leader.election.RevokeReason;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

/** The control drives guarded methods and listeners through real elections of the test backend. */
class LeadershipControlTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class, TestLeaderAutoConfiguration.class))
            .withPropertyValues("leader.test.mode=manual")
            .withBean(LeaderJobs.class);

    @Test
    void grantRunsGuardedMethodUnderItsTermAndListenersHaveHeardItOnReturn() {
        runner.run(context -> {
            LeaderJobs jobs = context.getBean(LeaderJobs.class);
            jobs.run();
            assertThat(jobs.tokensRun()).as("skipped while follower").isEmpty();
            Leadership term = context.getBean(LeadershipControl.class).grant();
            assertThat(jobs.heard()).containsExactly("granted default " + term.fencingToken());
            jobs.run();
            assertThat(jobs.tokensRun()).containsExactly(term.fencingToken());
        });
    }

    @Test
    void revokeSkipsGuardedMethodAndDeliversTheReason() {
        runner.run(context -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            LeaderJobs jobs = context.getBean(LeaderJobs.class);
            long token = control.grant().fencingToken();
            assertThat(control.revoke("default", RevokeReason.RELEASED)).isTrue();
            jobs.run();
            assertThat(jobs.tokensRun()).isEmpty();
            assertThat(jobs.heard()).containsExactly("granted default " + token, "revoked default " + token + " RELEASED");
            assertThat(control.revoke("default", RevokeReason.RELEASED)).as("no term left").isFalse();
            assertThat(context.getBean(ElectionRegistry.class).defaultElection().state()).isEqualTo(ElectionState.FOLLOWER);
        });
    }

    @Test
    void lostConnectionLeavesElectionDisconnectedUntilGrantedAgain() {
        runner.run(context -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            control.grant();
            control.revoke("default", RevokeReason.CONNECTION_LOST);
            assertThat(election.state()).isEqualTo(ElectionState.DISCONNECTED);
            assertThat(election.isLeader()).isFalse();
            control.grant();
            assertThat(election.isLeader()).isTrue();
        });
    }

    @Test
    void fencingTokensStrictlyIncreaseAcrossTerms() {
        runner.run(context -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            List<Long> tokens = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tokens.add(control.grant().fencingToken());
                if (i % 2 == 0) {
                    control.revoke();
                }
                else {
                    control.yieldLeadership();
                }
            }
            assertThat(tokens).isSorted().doesNotHaveDuplicates();
        });
    }

    @Test
    void grantWhileLeadingKeepsTheTerm() {
        runner.run(context -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            Leadership first = control.grant();
            assertThat(control.grant()).isSameAs(first);
            assertThat(context.getBean(LeaderJobs.class).heard()).hasSize(1);
        });
    }

    @Test
    void namedElectionIsControlledApartFromTheDefault() {
        runner.run(context -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            LeaderJobs jobs = context.getBean(LeaderJobs.class);
            assertThatExceptionOfType(NotLeaderException.class).isThrownBy(jobs::importTerm);
            Leadership imports = control.grant("imports");
            assertThat(jobs.importTerm()).contains(imports);
            jobs.run();
            assertThat(jobs.tokensRun()).as("the default election is still not led").isEmpty();
        });
    }

    @Test
    void leaderElsewherePreemptsAndFollowersSeeTheNewLeader() {
        List<Optional<String>> leaders = new ArrayList<>();
        runner.withBean("leaderChanges", ApplicationListener.class,
                () -> (ApplicationListener<OnLeaderChangedEvent>) e -> {
                    synchronized (leaders) {
                        leaders.add(e.leaderId());
                    }
                })
                .run(context -> {
                    LeadershipControl control = context.getBean(LeadershipControl.class);
                    Election election = context.getBean(ElectionRegistry.class).defaultElection();
                    long token = control.grant().fencingToken();
                    control.leaderElsewhere("default", "node-b");
                    assertThat(election.leaderId()).contains("node-b");
                    assertThat(election.isLeader()).isFalse();
                    assertThat(context.getBean(LeaderJobs.class).heard())
                            .containsExactly("granted default " + token, "revoked default " + token + " PREEMPTED");
                    synchronized (leaders) {
                        assertThat(leaders).containsExactly(Optional.of(election.candidateId()), Optional.empty(),
                                Optional.of("node-b"));
                    }
                });
    }

    @Test
    void yieldInManualModeStaysFollower() {
        runner.run(context -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            long token = control.grant().fencingToken();
            control.yieldLeadership();
            assertThat(context.getBean(ElectionRegistry.class).defaultElection().isLeader()).isFalse();
            assertThat(context.getBean(LeaderJobs.class).heard())
                    .containsExactly("granted default " + token, "revoked default " + token + " YIELDED");
        });
    }

    @Test
    void yieldInAlwaysModeGrantsTheNextTermAtOnce() {
        runner.withPropertyValues("leader.test.mode=always").run(context -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            Election election = context.getBean(ElectionRegistry.class).defaultElection();
            long first = election.leadership().orElseThrow().fencingToken();
            control.yieldLeadership();
            assertThat(election.isLeader()).isTrue();
            assertThat(election.leadership().orElseThrow().fencingToken()).isGreaterThan(first);
            assertThat(election.leaseRemaining()).contains(LeaseDeadline.UNBOUNDED);
        });
    }

    @Test
    void closeAndYieldAreNotRevokeReasons() {
        runner.run(context -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            control.grant();
            assertThatIllegalArgumentException().isThrownBy(() -> control.revoke("default", RevokeReason.CLOSED));
            assertThatIllegalArgumentException().isThrownBy(() -> control.revoke("default", RevokeReason.YIELDED));
        });
    }

    @Test
    void listenerMayCallTheControlWithoutDeadlock() {
        runner.withBean(RegrantOnRelease.class).run(context -> {
            LeadershipControl control = context.getBean(LeadershipControl.class);
            control.grant();
            control.revoke();
            control.awaitEvents();
            assertThat(context.getBean(ElectionRegistry.class).defaultElection().isLeader()).isTrue();
            assertThat(context.getBean(LeaderJobs.class).heard()).hasSize(3);
        });
    }

    /** A listener that re-grants from the event thread, where the control must not wait for itself. */
    static class RegrantOnRelease implements ApplicationListener<OnRevokedEvent> {

        private final ObjectProvider<LeadershipControl> control;

        RegrantOnRelease(ObjectProvider<LeadershipControl> control) {
            this.control = control;
        }

        @Override
        public void onApplicationEvent(OnRevokedEvent event) {
            if (event.reason() == RevokeReason.RELEASED) {
                control.getObject().grant(event.election());
            }
        }
    }
}
