package dev.leader.autoconfigure;

import dev.leader.election.ElectionBackend;
import dev.leader.redis.RedisBackendSettings;
import dev.leader.redis.RedisElectionBackend;
import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The Redis backend: {@code leader.redis.url} when set, else the application's own Spring Data
 * Redis connection (a standalone server), so that an app already using Redis needs no new
 * address.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(BackendType.REDIS)
@ConditionalOnClass(name = "io.lettuce.core.RedisClient")
class RedisBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LeaderProperties properties, BeanFactory beans) {
        LeaderProperties.Redis redis = properties.getRedis();
        RedisBackendSettings settings;
        try {
            settings = RedisBackendSettings.of(redis.getKeyPrefix(), properties.getLeaseDuration(), redis.getCommandTimeout(),
                    redis.getFollowerRecheck()).withEnableExpiryNotifications(redis.isEnableExpiryNotifications());
        }
        catch (IllegalArgumentException ex) {
            throw LeaderConfigurationException.fromSettings("leader.redis", ex);
        }
        if (redis.getUrl() != null) {
            try {
                return RedisElectionBackend.fromUrl(redis.getUrl(), settings);
            }
            catch (IllegalArgumentException ex) {
                throw LeaderConfigurationException.fromSettings("leader.redis.url", ex);
            }
        }
        RedisURI fromBoot = fromSpringDataRedis(beans);
        if (fromBoot == null) {
            throw new LeaderConfigurationException("leader.redis.url", null,
                    "The Redis leader backend needs a server address, and the application has no Spring Data Redis connection.",
                    "Set leader.redis.url, e.g. redis://localhost:6379, or configure spring.data.redis.*.");
        }
        return new RedisElectionBackend(fromBoot, settings);
    }

    private static @Nullable RedisURI fromSpringDataRedis(BeanFactory beans) {
        if (!ClassUtils.isPresent("org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails",
                RedisBackendConfiguration.class.getClassLoader())) {
            return null;
        }
        return SpringDataRedis.uri(beans);
    }

    /** Kept apart so that its Spring Data Redis types load only when that library is present. */
    static final class SpringDataRedis {

        static @Nullable RedisURI uri(BeanFactory beans) {
            DataRedisConnectionDetails details = beans.getBeanProvider(DataRedisConnectionDetails.class).getIfAvailable();
            if (details == null || details.getStandalone() == null) {
                return null;
            }
            DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
            RedisURI.Builder uri = RedisURI.builder().withHost(standalone.getHost()).withPort(standalone.getPort())
                    .withDatabase(standalone.getDatabase());
            if (details.getPassword() != null) {
                if (details.getUsername() != null) {
                    uri.withAuthentication(details.getUsername(), details.getPassword().toCharArray());
                }
                else {
                    uri.withPassword(details.getPassword().toCharArray());
                }
            }
            if (details.getSslBundle() != null) {
                uri.withSsl(true);
            }
            return uri.build();
        }
    }
}
