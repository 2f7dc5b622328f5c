package dev.leader.bench;

import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.election.ElectionBackend;
import dev.leader.spring.ElectionRegistry;

/**
 * A Spring context with our auto-configuration alone, over a backend the harness built, and
 * {@code leader.spread.instances} set: leadership spreading is a bean of the auto-configuration,
 * not reachable from the backend API.
 */
final class SpreadingApplication implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SpreadingApplication(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static SpreadingApplication start(ElectionBackend backend, String candidateId, int instances) {
        SpringApplication application = new SpringApplication(AutoConfigurationOnly.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setDefaultProperties(Map.of("leader.spread.instances", Integer.toString(instances),
                "leader.campaign", "on-start", "leader.candidate-id", candidateId));
        // The auto-configuration backs off from a backend the application defines.
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("scaleElectionBackend", backend));
        return new SpreadingApplication(application.run());
    }

    ElectionRegistry registry() {
        return context.getBean(ElectionRegistry.class);
    }

    @Override
    public void close() {
        context.close();
    }

    /** Our auto-configuration and nothing else from the classpath (no DataSource, no Spring Integration). */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(LeaderAutoConfiguration.class)
    static class AutoConfigurationOnly {
    }
}
