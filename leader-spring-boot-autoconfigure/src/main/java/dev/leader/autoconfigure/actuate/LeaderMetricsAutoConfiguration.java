package dev.leader.autoconfigure.actuate;

import dev.leader.autoconfigure.LeaderAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Micrometer meters for every election. Runs before the election registry is built, since the
 * registry hands each new election to the {@link LeaderMetrics} customizer.
 */
@AutoConfiguration(before = LeaderAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBooleanProperty(name = "leader.enabled", matchIfMissing = true)
@ConditionalOnBean(MeterRegistry.class)
public final class LeaderMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeaderMetrics leaderMetrics(MeterRegistry registry) {
        return new LeaderMetrics(registry);
    }
}
