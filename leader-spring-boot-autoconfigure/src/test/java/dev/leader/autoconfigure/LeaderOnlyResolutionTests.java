package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderContext;
import dev.leader.spring.LeaderOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Which election guards a call: by method and target class, from interfaces and composed
 * annotations, with placeholders; and what cannot be guarded is refused at start-up.
 */
class LeaderOnlyResolutionTests {

    @TempDir
    Path locks;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class))
                .withPropertyValues("leader.local.directory=" + locks);
    }

    @Test
    void twoSubclassesInheritingOneMethodUseTheirOwnElections() {
        runner().withBean(ImportsJob.class).withBean(ExportsJob.class).run(context -> {
            ElectionRegistry registry = context.getBean(ElectionRegistry.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("imports").map(e -> e.isLeader()).orElse(false)
                    && registry.find("exports").map(e -> e.isLeader()).orElse(false));
            assertThat(context.getBean(ImportsJob.class).run()).isEqualTo("imports");
            assertThat(context.getBean(ExportsJob.class).run()).isEqualTo("exports");
            registry.election("exports").yieldLeadership();
            assertThat(context.getBean(ImportsJob.class).run()).isEqualTo("imports");
            assertThat(context.getBean(ExportsJob.class).run()).as("exports no longer leads").isNull();
        });
    }

    @Test
    void anAnnotationOnAnInterfaceMethodGuardsTheImplementation() {
        runner().withBean(InterfaceJob.class).run(context -> {
            ElectionRegistry registry = context.getBean(ElectionRegistry.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("contracts").map(e -> e.isLeader()).orElse(false));
            assertThat(context.getBean(InterfaceJob.class).run()).contains("contracts");
            registry.election("contracts").yieldLeadership();
            assertThat(context.getBean(InterfaceJob.class).run()).isEmpty();
        });
    }

    @Test
    void aComposedAnnotationGuardsWithItsElection() {
        runner().withBean(ComposedJob.class).run(context -> {
            ElectionRegistry registry = context.getBean(ElectionRegistry.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("nightly").map(e -> e.isLeader()).orElse(false));
            assertThat(context.getBean(ComposedJob.class).run()).contains("nightly");
            registry.election("nightly").yieldLeadership();
            assertThat(context.getBean(ComposedJob.class).run()).isEmpty();
        });
    }

    @Test
    void electionNamesResolvePlaceholders() {
        runner().withPropertyValues("jobs.tenant=acme").withBean(PlaceholderJob.class).run(context -> {
            ElectionRegistry registry = context.getBean(ElectionRegistry.class);
            assertThat(registry.elections()).containsKey("billing-acme");
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.election("billing-acme").isLeader());
            assertThat(context.getBean(PlaceholderJob.class).run()).contains("billing-acme");
        });
    }

    @Test
    void aFinalMethodIsRefusedAtStartupNamingIt() {
        runner().withBean(FinalJob.class).run(context -> assertThat(LeaderAutoConfigurationTests.failure(context))
                .contains(FinalJob.class.getName() + ".run()").contains("final").contains("cannot be proxied"));
    }

    @Test
    void aPrivateMethodIsRefusedAtStartupNamingIt() {
        runner().withBean(PrivateJob.class).run(context -> assertThat(LeaderAutoConfigurationTests.failure(context))
                .contains(PrivateJob.class.getName() + ".run()").contains("private"));
    }

    @Test
    void aStaticMethodIsRefusedAtStartupNamingIt() {
        runner().withBean(StaticJob.class).run(context -> assertThat(LeaderAutoConfigurationTests.failure(context))
                .contains(StaticJob.class.getName() + ".run()").contains("static"));
    }

    @Test
    void closingAnElectionForgetsItAndReleasesLeadership() {
        runner().withBean(ImportsJob.class).run(context -> {
            ElectionRegistry registry = context.getBean(ElectionRegistry.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.election("imports").isLeader());
            var closed = registry.election("imports");
            assertThat(registry.close("imports")).isTrue();
            assertThat(closed.isLeader()).isFalse();
            assertThat(registry.find("imports")).isEmpty();
            assertThat(registry.close("imports")).isFalse();
        });
    }

    static class NamedJob {

        public String run() {
            return LeaderContext.current().map(Leadership::election).orElse(null);
        }
    }

    @LeaderOnly("imports")
    static class ImportsJob extends NamedJob {
    }

    @LeaderOnly("exports")
    static class ExportsJob extends NamedJob {
    }

    interface Contract {

        @LeaderOnly("contracts")
        Optional<String> run();
    }

    static class InterfaceJob implements Contract {

        @Override
        public Optional<String> run() {
            return LeaderContext.current().map(Leadership::election);
        }
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @LeaderOnly("nightly")
    @interface Nightly {
    }

    static class ComposedJob {

        @Nightly
        public Optional<String> run() {
            return LeaderContext.current().map(Leadership::election);
        }
    }

    static class PlaceholderJob {

        @LeaderOnly("billing-${jobs.tenant}")
        public Optional<String> run() {
            return LeaderContext.current().map(Leadership::election);
        }
    }

    static class FinalJob {

        @LeaderOnly
        public final void run() {
        }
    }

    static class PrivateJob {

        @LeaderOnly
        private void run() {
        }
    }

    static class StaticJob {

        @LeaderOnly
        public static void run() {
        }
    }
}
