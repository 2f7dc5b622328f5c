package dev.leader.autoconfigure.actuate;

import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.autoconfigure.LeaderProperties;
import dev.leader.spring.ElectionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** The {@code leader} health contributor. */
@AutoConfiguration(after = LeaderAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
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
