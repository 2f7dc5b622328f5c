package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

class BackendSelectionTests {

    @Test
    void selectWhenNothingSetShouldChooseLocal() {
        BackendSelection selection = BackendSelection.of(new MockEnvironment());
        assertThat(selection.type()).isEqualTo(BackendType.LOCAL);
        assertThat(selection.inferredLocal()).isTrue();
    }

    @Test
    void selectWhenBackendSetShouldUseItWhateverElseIsSet() {
        MockEnvironment environment = new MockEnvironment().withProperty("leader.backend", "ETCD")
                .withProperty("leader.redis.url", "redis://localhost:6379");
        assertThat(BackendSelection.of(environment).type()).isEqualTo(BackendType.ETCD);
    }

    @Test
    void selectWhenOnlyZookeeperAddressSetShouldInferZookeeper() {
        MockEnvironment environment = new MockEnvironment().withProperty("leader.zookeeper.connect-string", "localhost:2181");
        BackendSelection selection = BackendSelection.of(environment);
        assertThat(selection.type()).isEqualTo(BackendType.ZOOKEEPER);
        assertThat(selection.explanation()).contains("leader.zookeeper.*");
    }

    @Test
    void selectWhenRedisUrlSetInRelaxedFormShouldInferRedis() {
        MockEnvironment environment = new MockEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("LEADER_REDIS_URL", "redis://localhost:6379")));
        assertThat(BackendSelection.of(environment).type()).isEqualTo(BackendType.REDIS);
    }

    @Test
    void selectWhenEtcdEndpointsSetShouldInferEtcd() {
        MockEnvironment environment = new MockEnvironment().withProperty("leader.etcd.endpoints", "http://localhost:2379");
        assertThat(BackendSelection.of(environment).type()).isEqualTo(BackendType.ETCD);
    }

    @Test
    void selectWhenEtcdEndpointsSetAsListShouldInferEtcd() {
        // YAML's "endpoints: [a, b]" reaches the environment as indexed names, none of them the marker itself.
        MockEnvironment environment = new MockEnvironment().withProperty("leader.etcd.endpoints[0]", "http://localhost:2379")
                .withProperty("leader.etcd.endpoints[1]", "http://localhost:2479");
        assertThat(BackendSelection.of(environment).type()).isEqualTo(BackendType.ETCD);
    }

    @Test
    void selectWhenLanSecretSetShouldInferLan() {
        MockEnvironment environment = new MockEnvironment().withProperty("leader.lan.secret", "s3cret");
        assertThat(BackendSelection.of(environment).type()).isEqualTo(BackendType.LAN);
    }

    @Test
    void selectWhenTwoBackendsConfiguredShouldReportAmbiguity() {
        MockEnvironment environment = new MockEnvironment().withProperty("leader.redis.url", "redis://localhost:6379")
                .withProperty("leader.etcd.endpoints", "http://localhost:2379");
        BackendSelection selection = BackendSelection.of(environment);
        assertThat(selection.type()).isNull();
        assertThat(selection.error()).isNotNull();
        assertThat(selection.error().getMessage()).contains("redis").contains("etcd").contains("leader.backend");
    }

    @Test
    void selectWhenBackendUnknownShouldListAllowedValues() {
        BackendSelection selection = BackendSelection.of(new MockEnvironment().withProperty("leader.backend", "bogus"));
        assertThat(selection.type()).isNull();
        assertThat(selection.error().getMessage()).contains("leader.backend").contains("bogus")
                .contains("local, zookeeper, redis, etcd, lan");
    }
}
