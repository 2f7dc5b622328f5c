package dev.leader.autoconfigure;

import dev.leader.election.ElectionBackend;
import dev.leader.zookeeper.ZooKeeperBackendSettings;
import dev.leader.zookeeper.ZooKeeperElectionBackend;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(BackendType.ZOOKEEPER)
@ConditionalOnClass(name = "org.apache.zookeeper.ZooKeeper")
class ZooKeeperBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean(ZooKeeperConnectionDetails.class)
    ZooKeeperConnectionDetails leaderZooKeeperConnectionDetails(LeaderProperties properties) {
        return new PropertiesConnectionDetails.ZooKeeper(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LeaderProperties properties, ZooKeeperConnectionDetails connection) {
        String connectString = connection.connectString();
        if (connectString == null || connectString.isBlank()) {
            throw new LeaderConfigurationException("leader.zookeeper.connect-string", null,
                    "The ZooKeeper leader backend needs the servers' addresses.",
                    "Set leader.zookeeper.connect-string, e.g. localhost:2181, or define a ZooKeeperConnectionDetails bean.");
        }
        LeaderProperties.Zookeeper zookeeper = properties.getZookeeper();
        LeaderProperties.ZookeeperTls tls = zookeeper.getTls();
        try {
            ZooKeeperBackendSettings settings = ZooKeeperBackendSettings.builder(connectString).root(zookeeper.getRoot())
                    .leaseDuration(properties.getLeaseDuration()).sessionTimeout(zookeeper.getSessionTimeout())
                    .digestAuth(zookeeper.getAuth())
                    .tls(tls.isEnabled() ? new ZooKeeperBackendSettings.Tls(tls.getKeyStore(), tls.getKeyStorePassword(),
                            tls.getTrustStore(), tls.getTrustStorePassword()) : null)
                    .build();
            return new ZooKeeperElectionBackend(settings);
        }
        catch (IllegalArgumentException ex) {
            throw LeaderConfigurationException.fromSettings("leader.zookeeper", ex);
        }
    }
}
