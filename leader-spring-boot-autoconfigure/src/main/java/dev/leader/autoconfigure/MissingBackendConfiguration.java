package dev.leader.autoconfigure;

import dev.leader.election.ElectionBackend;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Reached only when no backend configuration produced a backend: explains why at start-up
 * (unknown or ambiguous backend, or its client library missing) instead of a bare
 * "no bean of type ElectionBackend".
 */
@Configuration(proxyBeanMethods = false)
class MissingBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(BeanFactory beans, Environment environment, ResourceLoader resources) {
        BackendSelection selection = BackendSelection.of(beans, environment);
        if (selection.error() != null) {
            throw selection.error();
        }
        BackendType type = selection.type();
        if (type != null && type.clientClass().isPresent()
                && !ClassUtils.isPresent(type.clientClass().get(), resources.getClassLoader())) {
            throw LeaderConfigurationException.missingLibrary(type);
        }
        throw new LeaderConfigurationException("leader.backend", type == null ? null : type.id(),
                "The '" + (type == null ? "?" : type.id()) + "' leader backend is not available in this version of leader.",
                "Set leader.backend to a backend this version provides.");
    }
}
