package dev.leader.autoconfigure.actuate;

import dev.leader.spring.ElectionRegistry;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.autoconfigure.LeaderProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code leader} health contributor. */
@AutoConfiguration(after = LeaderAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator")
@ConditionalOnBean(ElectionRegistry.class)
@ConditionalOnEnabledHealthIndicator("leader")
public final class LeaderHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "leaderHealthIndicator")
    LeaderHealthIndicator leaderHealthIndicator(ElectionRegistry registry, LeaderProperties properties) {
        return new LeaderHealthIndicator(registry, properties.getHealth().isDownWhenUnreachable());
    }
}
