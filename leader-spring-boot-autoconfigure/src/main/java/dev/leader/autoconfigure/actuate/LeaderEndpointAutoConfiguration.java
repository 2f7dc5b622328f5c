package dev.leader.autoconfigure.actuate;

import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.spring.ElectionRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** The {@code leader} Actuator endpoint, over HTTP and JMX. */
@AutoConfiguration(after = LeaderAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
@ConditionalOnBean(ElectionRegistry.class)
@ConditionalOnAvailableEndpoint(LeaderEndpoint.class)
public final class LeaderEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeaderEndpoint leaderEndpoint(ElectionRegistry registry) {
        return new LeaderEndpoint(registry);
    }
}
