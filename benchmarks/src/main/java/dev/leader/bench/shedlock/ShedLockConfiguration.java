package dev.leader.bench.shedlock;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** ShedLock as its README sets it up: method proxies, a Redis lock provider over Lettuce. */
@Configuration(proxyBeanMethods = false)
@EnableSchedulerLock(defaultLockAtMostFor = "PT30S")
public class ShedLockConfiguration {

    @Bean
    LettuceConnectionFactory redisConnectionFactory(@Value("${bench.redis.port}") int port) {
        return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
    }

    @Bean
    LockProvider lockProvider(LettuceConnectionFactory connectionFactory) {
        return new RedisLockProvider(connectionFactory, "bench");
    }

    @Bean
    LockedJob lockedJob() {
        return new LockedJob();
    }
}
