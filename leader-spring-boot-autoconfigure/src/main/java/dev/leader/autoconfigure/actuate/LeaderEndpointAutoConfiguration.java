package dev.leader.autoconfigure.actuate;

import dev.leader.spring.ElectionRegistry;
import dev.leader.autoconfigure.LeaderAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code leader} Actuator endpoint, over HTTP and JMX. */
@AutoConfiguration(after = LeaderAutoConfiguration.class)
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
