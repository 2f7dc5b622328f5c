package dev.leader.zookeeper.autoconfigure;

import java.util.List;
import dev.leader.autoconfigure.ConditionalOnBackend;
import dev.leader.autoconfigure.LeaderProperties;
import dev.leader.autoconfigure.SslBundleSetting;
import dev.leader.election.ElectionBackend;
import dev.leader.election.InvalidSettingException;
import dev.leader.zookeeper.ZooKeeperBackendSettings;
import dev.leader.zookeeper.ZooKeeperElectionBackend;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ZooKeeper backend: one client (one session) for all elections of the application. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend("zookeeper")
@ConditionalOnClass(name = "org.apache.zookeeper.ZooKeeper")
@EnableConfigurationProperties(ZooKeeperBackendProperties.class)
public final class ZooKeeperBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean(ZooKeeperConnectionDetails.class)
    ZooKeeperConnectionDetails leaderZooKeeperConnectionDetails(ZooKeeperBackendProperties properties) {
        return properties::getConnectString;
    }

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LeaderProperties leader, ZooKeeperBackendProperties properties,
            ZooKeeperConnectionDetails connection, ObjectProvider<SslBundles> sslBundles) {
        String connectString = connection.connectString();
        if (connectString == null || connectString.isBlank()) {
            throw new InvalidSettingException("leader.zookeeper.connect-string", null,
                    "the servers' addresses, e.g. localhost:2181 (or define a ZooKeeperConnectionDetails bean)");
        }
        ZooKeeperBackendSettings.Builder settings = ZooKeeperBackendSettings.builder(connectString);
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getRoot).to(settings::root);
        map.from(leader::getLeaseDuration).to(settings::leaseDuration);
        map.from(properties::getSessionTimeout).to(settings::sessionTimeout);
        map.from(properties::getAuth).to(settings::digestAuth);
        settings.tls(tls(properties.getTls()));
        String bundle = properties.getSsl().getBundle();
        if (bundle != null) {
            settings.ssl(sslStores(SslBundleSetting.bundle("leader.zookeeper.ssl.bundle", bundle, sslBundles.getIfAvailable())));
        }
        return new ZooKeeperElectionBackend(settings.build());
    }

    /** The bundle's stores, with the key password its own key managers would use. */
    private static ZooKeeperBackendSettings.SslStores sslStores(SslBundle bundle) {
        SslStoreBundle stores = bundle.getStores();
        String keyPassword = bundle.getKey().getPassword() != null ? bundle.getKey().getPassword() : stores.getKeyStorePassword();
        String[] protocols = bundle.getOptions().getEnabledProtocols();
        String[] ciphers = bundle.getOptions().getCiphers();
        return new ZooKeeperBackendSettings.SslStores(stores.getKeyStore(), keyPassword, bundle.getKey().getAlias(),
                stores.getTrustStore(), protocols == null ? null : List.of(protocols), ciphers == null ? null : List.of(ciphers));
    }

    private static ZooKeeperBackendSettings.@Nullable Tls tls(ZooKeeperBackendProperties.Tls tls) {
        return tls.isEnabled() ? new ZooKeeperBackendSettings.Tls(tls.getKeyStore(), tls.getKeyStorePassword(),
                tls.getTrustStore(), tls.getTrustStorePassword()) : null;
    }
}
