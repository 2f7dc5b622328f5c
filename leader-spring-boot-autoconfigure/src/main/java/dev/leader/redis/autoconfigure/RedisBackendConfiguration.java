package dev.leader.redis.autoconfigure;

import java.util.List;
import dev.leader.autoconfigure.ConditionalOnBackend;
import dev.leader.autoconfigure.LeaderConfigurationException;
import dev.leader.autoconfigure.LeaderProperties;
import dev.leader.autoconfigure.SslBundleSetting;
import dev.leader.election.ElectionBackend;
import dev.leader.election.InvalidSettingException;
import dev.leader.redis.RedisBackendSettings;
import dev.leader.redis.RedisElectionBackend;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The Redis backend: {@code leader.redis.url} when set, else the application's own Spring Data
 * Redis connection (standalone, Sentinel or Cluster, as Boot would connect), so that an app
 * already using Redis needs no new address.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend("redis")
@ConditionalOnClass(name = "io.lettuce.core.RedisClient")
@EnableConfigurationProperties(RedisBackendProperties.class)
public final class RedisBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LeaderProperties leader, RedisBackendProperties properties, BeanFactory beans,
            ObjectProvider<SslBundles> sslBundles) {
        RedisBackendSettings settings = RedisBackendSettings.of(properties.getKeyPrefix(), leader.getLeaseDuration(),
                properties.getCommandTimeout(), properties.getFollowerRecheck())
                .withEnableExpiryNotifications(properties.isEnableExpiryNotifications());
        SslBundle bundle = properties.getSsl().getBundle() == null ? null
                : SslBundleSetting.bundle("leader.redis.ssl.bundle", properties.getSsl().getBundle(), sslBundles.getIfAvailable());
        if (properties.getUrl() != null) {
            return RedisElectionBackend.fromUrl(properties.getUrl(), settings.withSsl(sslOptions(bundle)));
        }
        SpringDataRedis.Target fromBoot = fromSpringDataRedis(beans);
        if (fromBoot == null) {
            throw new InvalidSettingException("leader.redis.url", null,
                    "a server address, e.g. redis://localhost:6379 (or configure spring.data.redis.*: the application has"
                            + " no Spring Data Redis connection)");
        }
        return new RedisElectionBackend(fromBoot.uris(), fromBoot.cluster(),
                settings.withSsl(sslOptions(bundle != null ? bundle : fromBoot.sslBundle())));
    }

    /** The bundle in Lettuce's terms, as Boot's own Lettuce configuration maps it. */
    private static @Nullable SslOptions sslOptions(@Nullable SslBundle bundle) {
        if (bundle == null) {
            return null;
        }
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider()
                .keyManager(bundle.getManagers().getKeyManagerFactory())
                .trustManager(bundle.getManagers().getTrustManagerFactory());
        String[] protocols = bundle.getOptions().getEnabledProtocols();
        if (protocols != null) {
            ssl.protocols(protocols);
        }
        String[] ciphers = bundle.getOptions().getCiphers();
        if (ciphers != null) {
            ssl.cipherSuites(ciphers);
        }
        return ssl.build();
    }

    private static SpringDataRedis.@Nullable Target fromSpringDataRedis(BeanFactory beans) {
        if (!ClassUtils.isPresent("org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails",
                RedisBackendConfiguration.class.getClassLoader())) {
            return null;
        }
        return SpringDataRedis.target(beans);
    }

    /**
     * Boot's Redis connection details in Lettuce's terms. Kept apart so that its Spring Data
     * Redis types load only when that library is present.
     */
    static final class SpringDataRedis {

        /** Lettuce URIs (for a Cluster, its seed nodes) and the connection's SSL bundle, if it has one. */
        record Target(List<RedisURI> uris, boolean cluster, @Nullable SslBundle sslBundle) {
        }

        /** Where Boot connects, in its own order: Sentinel, Cluster, Master/Replica, else one server. */
        static @Nullable Target target(BeanFactory beans) {
            DataRedisConnectionDetails details = beans.getBeanProvider(DataRedisConnectionDetails.class).getIfAvailable();
            if (details == null) {
                return null;
            }
            if (details.getSentinel() != null) {
                return new Target(List.of(sentinel(details, details.getSentinel())), false, details.getSslBundle());
            }
            if (details.getCluster() != null) {
                return new Target(details.getCluster().getNodes().stream()
                        .map(node -> dataNode(details, RedisURI.builder().withHost(node.host()).withPort(node.port())))
                        .toList(), true, details.getSslBundle());
            }
            if (details.getMasterReplica() != null) {
                // Lettuce's Master/Replica client reads from replicas; a lease must be written and
                // read on the master alone, and a static list cannot say which node that is.
                throw new LeaderConfigurationException("spring.data.redis.masterreplica.nodes", null,
                        "The Redis leader backend cannot elect through a static Master/Replica connection"
                                + " (spring.data.redis.masterreplica.nodes): it must reach the master alone.",
                        "Set leader.redis.url to the master (redis://host:port), or to the Sentinels that watch it"
                                + " (redis-sentinel://host:port#master).");
            }
            DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
            if (standalone == null) {
                return null;
            }
            return new Target(List.of(dataNode(details, RedisURI.builder().withHost(standalone.getHost())
                    .withPort(standalone.getPort()).withDatabase(standalone.getDatabase()))), false, details.getSslBundle());
        }

        private static RedisURI sentinel(DataRedisConnectionDetails details, DataRedisConnectionDetails.Sentinel sentinel) {
            RedisURI.Builder uri = RedisURI.builder().withSentinelMasterId(sentinel.getMaster())
                    .withDatabase(sentinel.getDatabase());
            for (DataRedisConnectionDetails.Node node : sentinel.getNodes()) {
                RedisURI.Builder one = RedisURI.builder().withHost(node.host()).withPort(node.port());
                if (sentinel.getPassword() != null) {
                    authenticate(one, sentinel.getUsername(), sentinel.getPassword());
                }
                uri.withSentinel(one.build());
            }
            return dataNode(details, uri);
        }

        private static RedisURI dataNode(DataRedisConnectionDetails details, RedisURI.Builder uri) {
            if (details.getPassword() != null) {
                authenticate(uri, details.getUsername(), details.getPassword());
            }
            return uri.build();
        }

        private static void authenticate(RedisURI.Builder uri, @Nullable String username, String password) {
            if (username != null) {
                uri.withAuthentication(username, password.toCharArray());
            }
            else {
                uri.withPassword(password.toCharArray());
            }
        }
    }
}
