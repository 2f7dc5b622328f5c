package dev.leader.bench;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.leader.autoconfigure.BackendType;

import static org.assertj.core.api.Assertions.assertThat;

class BenchBackendsTest {

    @Test
    void everyBackendTypeIsMeasuredUnderItsId() {
        for (BackendType type : BackendType.values()) {
            BenchBackend backend = BenchBackends.byType(type.id());
            assertThat(backend.backend()).as(type.id()).isEqualTo(type);
            assertThat(backend.anchor()).as(type.id()).isFalse();
        }
    }

    @Test
    void anchorsKeepIdsOfTheirOwn() {
        assertThat(BenchBackends.all().values()).filteredOn(BenchBackend::anchor).extracting(BenchBackend::type)
                .containsExactly(CuratorAnchor.TYPE, CuratorSelectorAnchor.TYPE, SpringIntegrationRedisAnchor.TYPE,
                        SpringIntegrationJdbcAnchor.TYPE, ShedLockJdbcAnchor.TYPE)
                .doesNotContainAnyElementsOf(Arrays.stream(BackendType.values()).map(BackendType::id).toList());
    }

    @Test
    void herdAppliesToTheBackendsOnAZooKeeperServer() {
        assertThat(Benchmarks.Settings.HERD_BACKENDS)
                .isEqualTo(String.join(",", BackendType.ZOOKEEPER.id(), CuratorAnchor.TYPE, CuratorSelectorAnchor.TYPE));
    }
}
