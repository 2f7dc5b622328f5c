package dev.leader.autoconfigure;

import java.time.Duration;
import dev.leader.election.AbstractElection;
import dev.leader.election.CandidateIds;
import dev.leader.election.ElectionBackend;
import dev.leader.election.ElectionNames;
import dev.leader.election.InvalidSettingException;
import dev.leader.spring.ElectionCustomizer;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderOnly;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Leader election for the application: the backend {@code leader.backend} selects, the
 * registry of elections, the {@link LeaderOnly} guard and the event bridge. The beans of a
 * public type back off when the application defines its own; those of this package's own types
 * (lifecycle, spreading, event bridge, the guard's post-processor) have no condition to
 * evaluate at start-up, since no application can define one.
 * <p>
 * This and the library's Actuator configurations come last (lowest order; their
 * {@code before}/{@code after} still hold): the bean definitions they add are then not scanned
 * by the by-type conditions of every auto-configuration that would otherwise follow them (ours
 * sort first by name), which cost the main thread milliseconds at start-up.
 */
@AutoConfiguration
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnBooleanProperty(name = "leader.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LeaderProperties.class)
@Import({ LeaderOnlyProxying.class, BackendConfigurations.class })
public final class LeaderAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ElectionRegistry electionRegistry(ElectionBackend backend, LeaderProperties properties, Environment environment,
            ObjectProvider<ElectionCustomizer> customizers) {
        String candidateId = properties.getCandidateId() != null
                ? CandidateIds.requireValid("leader.candidate-id", properties.getCandidateId()) : CandidateIds.generate();
        if (properties.getLeaseDuration() != null) {
            InvalidSettingException.requirePositive("leader.lease-duration", properties.getLeaseDuration());
        }
        return new ElectionRegistry(backend, candidateId, defaultElection(properties, environment),
                shutdownTimeout(properties), customizers.orderedStream().toList());
    }

    @Bean
    ElectionLifecycle electionLifecycle(ElectionRegistry registry, LeaderOnlyBeanPostProcessor leaderOnly,
            LeaderProperties properties, ListableBeanFactory beans) {
        // SpringApplication registers its arguments in every context it starts, and only such a
        // context announces readiness.
        boolean announcesReadiness = beans.containsBean("springApplicationArguments");
        LeaderProperties.Campaign campaign = properties.getCampaign();
        boolean onReady = campaign != LeaderProperties.Campaign.ON_START && announcesReadiness;
        boolean whileReady = campaign == LeaderProperties.Campaign.WHILE_READY && announcesReadiness;
        return new ElectionLifecycle(registry, leaderOnly, onReady, whileReady, shutdownTimeout(properties));
    }

    @Bean
    @Conditional(OnSpreadingCondition.class)
    LeadershipSpreading leadershipSpreading(ObjectProvider<ElectionRegistry> registry, LeaderProperties properties) {
        int instances = properties.getSpread().getInstances();
        if (instances < 0) {
            throw new InvalidSettingException("leader.spread.instances", instances,
                    "0 (no spreading) or the number of instances to spread leadership over");
        }
        return new LeadershipSpreading(registry, instances);
    }

    /** spring.threads.virtual.enabled (Java 21+): listeners are called on virtual threads. */
    @Bean
    @ConditionalOnThreading(Threading.VIRTUAL)
    ElectionCustomizer leaderVirtualThreadListeners() {
        VirtualThreadTaskExecutor executor = new VirtualThreadTaskExecutor("leader-events-");
        return election -> election.setListenerExecutor(executor);
    }

    @Bean
    ApplicationEventBridge leaderApplicationEventBridge(ApplicationEventPublisher publisher) {
        return new ApplicationEventBridge(publisher);
    }

    /** Infrastructure: the post-processor below needs it before every other post-processor is registered. */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static LeaderOnlyAnnotations leaderOnlyAnnotations(Environment environment) {
        return new LeaderOnlyAnnotations(environment);
    }

    @Bean
    static LeaderOnlyBeanPostProcessor leaderOnlyBeanPostProcessor(LeaderOnlyAnnotations annotations) {
        return new LeaderOnlyBeanPostProcessor(annotations);
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static LeaderOnlyAdvisor leaderOnlyAdvisor(ObjectProvider<ElectionRegistry> registry,
            ObjectProvider<SkippedCallListener> skips, ObjectProvider<ObservationRegistry> observations,
            LeaderOnlyAnnotations annotations) {
        return new LeaderOnlyAdvisor(() -> new LeaderOnlyInterceptor(registry::getObject, skips::getIfAvailable,
                observations::getIfUnique, annotations), annotations);
    }

    /** leader.shutdown-timeout, else the elections' default drain timeout. */
    static Duration shutdownTimeout(LeaderProperties properties) {
        Duration timeout = properties.getShutdownTimeout();
        return timeout != null ? InvalidSettingException.requireNotNegative("leader.shutdown-timeout", timeout)
                : AbstractElection.DEFAULT_DRAIN_TIMEOUT;
    }

    /** leader.election, else spring.application.name made a valid name, else "default". */
    static String defaultElection(LeaderProperties properties, Environment environment) {
        if (properties.getElection() != null) {
            return ElectionNames.requireValid("leader.election", properties.getElection());
        }
        @Nullable String application = environment.getProperty("spring.application.name");
        if (application == null || application.isBlank()) {
            return "default";
        }
        String name = application.trim().replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[._-]+", "");
        if (name.length() > 128) {
            name = name.substring(0, 128);
        }
        return ElectionNames.isValid(name) ? name : "default";
    }

}
