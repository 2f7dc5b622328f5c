package dev.leader.autoconfigure.actuate;

import dev.leader.autoconfigure.LeaderAutoConfiguration;
import dev.leader.election.ElectionBackend;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * An observation per term of every election. Runs before the election registry is built, since
 * the registry hands each new election to the {@link LeaderObservations} customizer.
 */
@AutoConfiguration(before = LeaderAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnBooleanProperty(name = "leader.enabled", matchIfMissing = true)
@ConditionalOnBean(ObservationRegistry.class)
public final class LeaderObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeaderObservations leaderObservations(ObservationRegistry registry, ObjectProvider<ElectionBackend> backend) {
        return new LeaderObservations(registry, () -> backend.getObject().type());
    }
}
