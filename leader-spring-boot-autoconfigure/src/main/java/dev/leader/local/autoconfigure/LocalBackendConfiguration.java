package dev.leader.local.autoconfigure;

import dev.leader.autoconfigure.BackendSelection;
import dev.leader.autoconfigure.BackendType;
import dev.leader.autoconfigure.ConditionalOnBackend;
import dev.leader.election.ElectionBackend;
import dev.leader.local.LocalElectionBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The local backend: OS file locks in one directory, for the instances of one host. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend("local")
@EnableConfigurationProperties(LocalBackendProperties.class)
public final class LocalBackendConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LocalBackendConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LocalBackendProperties properties, BeanFactory beans, Environment environment) {
        LocalElectionBackend backend = new LocalElectionBackend(properties.getDirectory() != null
                ? properties.getDirectory() : LocalElectionBackend.DEFAULT_DIRECTORY);
        if (BackendSelection.of(beans, environment).inferredLocal()) {
            log.warn("No leader backend configured: electing through file locks in {}, so only instances on this host "
                    + "take part. Set leader.backend ({}) to choose.", backend.directory(), BackendType.allowedValues());
        }
        return backend;
    }
}
