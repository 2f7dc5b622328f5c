package dev.leader.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.leader.autoconfigure.BackendType;

/** The backends the harness knows; {@code run.sh} measures each that is on the classpath. */
final class BenchBackends {

    private BenchBackends() {
    }

    /** Ours in {@link BackendType} order, then the anchor libraries. */
    static Map<String, BenchBackend> all() {
        Map<String, BenchBackend> backends = new LinkedHashMap<>();
        for (BackendType type : BackendType.values()) {
            BenchBackend backend = ours(type);
            backends.put(backend.type(), backend);
        }
        for (BenchBackend anchor : List.<BenchBackend>of(new CuratorAnchor(), new CuratorSelectorAnchor(),
                new SpringIntegrationRedisAnchor(), new SpringIntegrationJdbcAnchor(), new ShedLockJdbcAnchor())) {
            backends.put(anchor.type(), anchor);
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

    /** No default: a new {@link BackendType} does not compile here until the benchmarks can measure it. */
    private static OurBench ours(BackendType type) {
        return switch (type) {
            case LOCAL -> new LocalBench();
            case ZOOKEEPER -> new ZooKeeperBench();
            case REDIS -> new RedisBench();
            case ETCD -> new EtcdBench();
            case LAN -> new LanBench();
            case JDBC -> new JdbcBench();
        };
    }
}
