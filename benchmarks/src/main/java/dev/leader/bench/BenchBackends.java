package dev.leader.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The backends the harness knows; {@code run.sh} measures each that is on the classpath. */
final class BenchBackends {

    private BenchBackends() {
    }

    static Map<String, BenchBackend> all() {
        Map<String, BenchBackend> backends = new LinkedHashMap<>();
        for (BenchBackend backend : List.<BenchBackend>of(new LocalBench(), new ZooKeeperBench(), new RedisBench(), new EtcdBench(),
                new LanBench(), new JdbcBench(), new CuratorAnchor(), new CuratorSelectorAnchor(), new SpringIntegrationRedisAnchor(),
                new SpringIntegrationJdbcAnchor(), new ShedLockJdbcAnchor())) {
            backends.put(backend.type(), backend);
        }
        return backends;
    }

    static BenchBackend byType(String type) {
        BenchBackend backend = all().get(type);
        if (backend == null) {
            throw new IllegalArgumentException("unknown backend '" + type + "'; known: " + all().keySet());
        }
        return backend;
    }
}
