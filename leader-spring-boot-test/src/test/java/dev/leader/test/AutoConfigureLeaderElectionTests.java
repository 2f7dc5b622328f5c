package dev.leader.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leader.spring.ElectionRegistry;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.election.Election;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionState;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The annotation and the property in real Spring Boot tests. {@link JobsApplication} imports
 * only the leader auto-configuration, so there the test backend can come only from the
 * annotation's {@code .imports} file; the property works through regular auto-configuration.
 */
class AutoConfigureLeaderElectionTests {

    @SpringBootConfiguration
    @ImportAutoConfiguration(LeaderAutoConfiguration.class)
    @Import(LeaderJobs.class)
    static class JobsApplication {
    }

    @Nested
    @SpringBootTest(classes = JobsApplication.class)
    @AutoConfigureLeaderElection
    class DefaultIsAlways {

        @Autowired
        ElectionRegistry registry;

        @Autowired
        LeaderJobs jobs;

        @Test
        void thisNodeLeadsFromTheStart() {
            Election election = registry.defaultElection();
            assertThat(election.isLeader()).isTrue();
            jobs.run();
            assertThat(jobs.tokensRun()).contains(election.leadership().orElseThrow().fencingToken());
            assertThat(registry.backend().type()).isEqualTo("test");
        }
    }

    @Nested
    @SpringBootTest(classes = JobsApplication.class)
    @AutoConfigureLeaderElection(LeadershipMode.MANUAL)
    class Manual {

        @Autowired
        LeadershipControl leadership;

        @Autowired
        LeaderJobs jobs;

        @Test
        void grantAndRevokeDriveTheGuardedMethod() {
            long token = leadership.grant().fencingToken();
            jobs.run();
            leadership.revoke();
            jobs.run();
            assertThat(jobs.tokensRun()).containsExactly(token);
            assertThat(jobs.heard()).containsExactly("granted default " + token, "revoked default " + token + " RELEASED");
        }
    }

    /** A regular Spring Boot application, as in the README. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(LeaderJobs.class)
    static class AutoConfiguredApplication {
    }

    @Nested
    @SpringBootTest(classes = AutoConfiguredApplication.class, properties = "leader.test.mode=never")
    class NeverByProperty {

        @Autowired
        ElectionBackend backend;

        @Autowired
        ElectionRegistry registry;

        @Autowired
        LeaderJobs jobs;

        @Test
        void thisNodeNeverLeads() {
            assertThat(backend).isInstanceOf(TestElectionBackend.class);
            assertThat(registry.defaultElection().state()).isEqualTo(ElectionState.FOLLOWER);
            jobs.run();
            assertThat(jobs.tokensRun()).isEmpty();
        }
    }
}
