package dev.leader.autoconfigure;

import dev.leader.election.ElectionBackend;
import dev.leader.etcd.EtcdBackendSettings;
import dev.leader.etcd.EtcdElectionBackend;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The etcd backend: etcd's v3 JSON gateway over the JDK HTTP client, no library needed. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(BackendType.ETCD)
class EtcdBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean(EtcdConnectionDetails.class)
    EtcdConnectionDetails leaderEtcdConnectionDetails(LeaderProperties properties) {
        return new PropertiesConnectionDetails.Etcd(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LeaderProperties properties, EtcdConnectionDetails connection,
            ObjectProvider<SslBundles> sslBundles) {
        if (connection.endpoints().isEmpty()) {
            throw new LeaderConfigurationException("leader.etcd.endpoints", null, "The etcd leader backend needs the members' client URLs.",
                    "Set leader.etcd.endpoints, e.g. http://localhost:2379, or define an EtcdConnectionDetails bean.");
        }
        LeaderProperties.Etcd etcd = properties.getEtcd();
        try {
            EtcdBackendSettings settings = EtcdBackendSettings.of(connection.endpoints()).withPrefix(etcd.getPrefix())
                    .withCredentials(connection.user(), connection.password())
                    .withLeaseDuration(properties.getLeaseDuration());
            if (etcd.getSslBundle() != null) {
                SslBundles bundles = sslBundles.getIfAvailable();
                if (bundles == null) {
                    throw new LeaderConfigurationException("leader.etcd.ssl-bundle", etcd.getSslBundle(),
                            "No SSL bundles are configured.", "Define the bundle under spring.ssl.bundle.*.");
                }
                settings = settings.withSslContext(bundles.getBundle(etcd.getSslBundle()).createSslContext());
            }
            return new EtcdElectionBackend(settings);
        }
        catch (IllegalArgumentException ex) {
            throw LeaderConfigurationException.fromSettings("leader.etcd", ex);
        }
    }
}
