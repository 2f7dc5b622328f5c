package dev.leader.etcd.autoconfigure;

import java.net.URI;
import java.util.List;
import dev.leader.autoconfigure.ConditionalOnBackend;
import dev.leader.autoconfigure.LeaderProperties;
import dev.leader.autoconfigure.SslBundleSetting;
import dev.leader.election.ElectionBackend;
import dev.leader.election.InvalidSettingException;
import dev.leader.etcd.EtcdBackendSettings;
import dev.leader.etcd.EtcdElectionBackend;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The etcd backend: etcd's v3 JSON gateway over the JDK HTTP client, no library needed. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend("etcd")
@EnableConfigurationProperties(EtcdBackendProperties.class)
public final class EtcdBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean(EtcdConnectionDetails.class)
    EtcdConnectionDetails leaderEtcdConnectionDetails(EtcdBackendProperties properties) {
        List<URI> endpoints = EtcdBackendSettings.parseEndpoints(String.join(",", properties.getEndpoints()));
        return new EtcdConnectionDetails() {
            @Override
            public List<URI> endpoints() {
                return endpoints;
            }

            @Override
            public @Nullable String user() {
                return properties.getUser();
            }

            @Override
            public @Nullable String password() {
                return properties.getPassword();
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LeaderProperties leader, EtcdBackendProperties properties,
            EtcdConnectionDetails connection, ObjectProvider<SslBundles> sslBundles) {
        if (connection.endpoints().isEmpty()) {
            throw new InvalidSettingException("leader.etcd.endpoints", null,
                    "the members' client URLs, e.g. http://localhost:2379 (or define an EtcdConnectionDetails bean)");
        }
        EtcdBackendSettings settings = EtcdBackendSettings.of(connection.endpoints())
                .withCredentials(connection.user(), connection.password());
        if (properties.getPrefix() != null) {
            settings = settings.withPrefix(properties.getPrefix());
        }
        if (leader.getLeaseDuration() != null) {
            settings = settings.withLeaseDuration(leader.getLeaseDuration());
        }
        if (properties.getWatchProgressInterval() != null) {
            settings = settings.withWatchProgressInterval(properties.getWatchProgressInterval());
        }
        if (properties.getSslBundle() != null) {
            settings = settings.withSslContext(SslBundleSetting.bundle("leader.etcd.ssl-bundle", properties.getSslBundle(),
                    sslBundles.getIfAvailable()).createSslContext());
        }
        return new EtcdElectionBackend(settings);
    }
}
