package dev.leader.autoconfigure;

import dev.leader.election.ElectionBackend;
import dev.leader.local.LocalElectionBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(BackendType.LOCAL)
class LocalBackendConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LocalBackendConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LeaderProperties properties, Environment environment) {
        LeaderProperties.Local local = properties.getLocal();
        LocalElectionBackend backend;
        try {
            backend = new LocalElectionBackend(local.getDirectory());
        }
        catch (IllegalArgumentException ex) {
            throw new LeaderConfigurationException("leader.local.directory", local.getDirectory(),
                    "The lock directory cannot be used: " + ex.getMessage() + ".",
                    "Set leader.local.directory to a directory this process can create and write.");
        }
        if (BackendSelection.of(environment).inferredLocal()) {
            log.warn("No leader backend configured: electing through file locks in {}, so only instances on this host "
                    + "take part. Set leader.backend (local, zookeeper, redis, etcd, lan) to choose.", backend.directory());
        }
        return backend;
    }
}
