package dev.leader.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

class RedisBackendSettingsTest {

    @Test
    void defaultsFollowTheLease() {
        RedisBackendSettings settings = RedisBackendSettings.defaults();
        assertThat(settings.keyPrefix()).isEqualTo("leader:");
        assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.renewInterval()).isEqualTo(Duration.ofMillis(3333).plusNanos(333_333));
        assertThat(settings.commandTimeout()).isLessThan(settings.renewInterval());
        assertThat(RedisBackendSettings.of(Duration.ofSeconds(1)).commandTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aCommandTimeoutNotBelowAThirdOfTheLeaseIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RedisBackendSettings.of(null, Duration.ofSeconds(3), Duration.ofSeconds(1), null))
                .withMessageContaining("leader.redis.command-timeout").withMessageContaining("1000ms");
    }

    @Test
    void aTooShortLeaseIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> RedisBackendSettings.of(Duration.ofMillis(10)))
                .withMessageContaining("leader.lease-duration");
    }

    @Test
    void aPrefixWithABraceIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> RedisBackendSettings.defaults().withKeyPrefix("a{b"))
                .withMessageContaining("leader.redis.key-prefix");
    }

    @Test
    void aFollowerRecheckBelowTheLeaseIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RedisBackendSettings.defaults().withFollowerRecheck(Duration.ofSeconds(1)))
                .withMessageContaining("leader.redis.follower-recheck");
    }

    @Test
    void keysOfOneElectionShareAHashTag() {
        ElectionKeys keys = ElectionKeys.of("leader:", "billing", 3);
        assertThat(keys.lease()).isEqualTo("leader:{billing}");
        assertThat(keys.epoch()).isEqualTo("leader:{billing}:epoch");
        assertThat(keys.channel()).isEqualTo("leader:{billing}:events");
        assertThat(keys.keyspaceChannel()).isEqualTo("__keyspace@3__:leader:{billing}");
    }

    @Test
    void urlsCoverStandaloneTlsSentinelAndCluster() {
        RedisURI plain = RedisUrls.parse("redis://:secret@127.0.0.1:6380/2").get(0);
        assertThat(plain.getPort()).isEqualTo(6380);
        assertThat(plain.getDatabase()).isEqualTo(2);
        assertThat(plain.getCredentialsProvider()).isNotNull();
        assertThat(RedisUrls.parse("rediss://h:6379").get(0).isSsl()).isTrue();
        assertThat(RedisUrls.isCluster("redis-sentinel://h1:26379,h2:26379#mymaster")).isFalse();
        assertThat(RedisUrls.parse("redis-sentinel://h1:26379,h2:26379#mymaster").get(0).getSentinels()).hasSize(2);
        assertThat(RedisUrls.isCluster("redis-cluster://h1:7000,h2:7001")).isTrue();
        List<RedisURI> cluster = RedisUrls.parse("redis-cluster://h1:7000,h2:7001");
        assertThat(cluster).extracting(RedisURI::getPort).containsExactly(7000, 7001);
        assertThat(RedisUrls.parse("redis://h1:7000,redis://h2:7001")).hasSize(2);
    }

    @Test
    void aBadUrlIsRefusedWithoutShowingThePassword() {
        assertThatIllegalArgumentException().isThrownBy(() -> RedisUrls.parse("ftp://:hunter2@h:6379"))
                .withMessageContaining("leader.redis.url").withMessageNotContaining("hunter2");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisUrls.parse(" "))
                .withMessageContaining("leader.redis.url");
    }
}
