package dev.leader.test;

import dev.leader.spring.ElectionRegistry;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.autoconfigure.LeaderConfigurationException;
import dev.leader.election.ElectionBackend;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Replaces the configured backend with the {@link TestElectionBackend} whenever
 * {@code leader.test.mode} is set, which {@link AutoConfigureLeaderElection} does. It runs
 * before {@link LeaderAutoConfiguration}, whose backends all back off from an existing
 * {@link ElectionBackend}; an application's own backend bean still wins.
 */
@AutoConfiguration(before = LeaderAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "leader.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = TestLeaderAutoConfiguration.MODE_PROPERTY)
public final class TestLeaderAutoConfiguration {

    static final String MODE_PROPERTY = "leader.test.mode";

    @Bean
    @ConditionalOnMissingBean(ElectionBackend.class)
    TestElectionBackend testElectionBackend(Environment environment) {
        return new TestElectionBackend(mode(environment));
    }

    @Bean
    @ConditionalOnMissingBean
    LeadershipControl leadershipControl(ElectionRegistry registry) {
        return new LeadershipControl(registry);
    }

    static LeadershipMode mode(Environment environment) {
        try {
            BindResult<LeadershipMode> mode = Binder.get(environment).bind(MODE_PROPERTY, LeadershipMode.class);
            return mode.isBound() ? mode.get() : LeadershipMode.ALWAYS;
        }
        catch (BindException ex) {
            throw new LeaderConfigurationException(MODE_PROPERTY, environment.getProperty(MODE_PROPERTY),
                    "The test leadership mode is not one of always, never, manual.",
                    "Set " + MODE_PROPERTY + " (or @AutoConfigureLeaderElection) to always, never or manual.");
        }
    }
}
