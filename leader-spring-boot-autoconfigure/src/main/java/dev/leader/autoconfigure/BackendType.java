package dev.leader.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The backends {@code leader.backend} can name: the one list of them, which auto-configuration,
 * the failure analyzer, the configuration metadata's hints and the project's tests, benchmarks
 * and fault suite read. A backend is its package ({@code dev.leader.<id>}, Spring-free) with its
 * Spring configuration ({@code dev.leader.<id>.autoconfigure}), plus one line here.
 */
public enum BackendType {

    LOCAL("local", "dev.leader.local.autoconfigure.LocalBackendConfiguration", null, null,
            "leader.local.directory"),

    ZOOKEEPER("zookeeper", "dev.leader.zookeeper.autoconfigure.ZooKeeperBackendConfiguration",
            "org.apache.zookeeper.ZooKeeper", "org.apache.zookeeper:zookeeper", "leader.zookeeper.connect-string"),

    REDIS("redis", "dev.leader.redis.autoconfigure.RedisBackendConfiguration",
            "io.lettuce.core.RedisClient", "io.lettuce:lettuce-core", "leader.redis.url"),

    ETCD("etcd", "dev.leader.etcd.autoconfigure.EtcdBackendConfiguration", null, null, "leader.etcd.endpoints"),

    LAN("lan", "dev.leader.lan.autoconfigure.LanBackendConfiguration", null, null,
            "leader.lan.secret", "leader.lan.group", "leader.lan.port", "leader.lan.interface"),

    /** Never inferred from a DataSource alone: an application does not write election rows to its database by surprise. */
    JDBC("jdbc", "dev.leader.jdbc.autoconfigure.JdbcBackendConfiguration", null, null, "leader.jdbc.url");

    private final String id;

    private final String configuration;

    private final @Nullable String clientClass;

    private final @Nullable String dependency;

    private final List<String> markerProperties;

    BackendType(String id, String configuration, @Nullable String clientClass, @Nullable String dependency,
            String... markerProperties) {
        this.id = id;
        this.configuration = configuration;
        this.clientClass = clientClass;
        this.dependency = dependency;
        this.markerProperties = List.of(markerProperties);
    }

    /** The value of {@code leader.backend}. */
    public String id() {
        return id;
    }

    /** The Spring configuration that builds this backend, guarded by {@link ConditionalOnBackend}. */
    String configuration() {
        return configuration;
    }

    /** A class of the client library this backend needs, empty when it needs none. */
    public Optional<String> clientClass() {
        return Optional.ofNullable(clientClass);
    }

    /** The Maven coordinates of that library. */
    public Optional<String> dependency() {
        return Optional.ofNullable(dependency);
    }

    /** Properties whose presence implies this backend when {@code leader.backend} is unset. */
    List<String> markerProperties() {
        return markerProperties;
    }

    public static Optional<BackendType> fromId(String id) {
        String normalized = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.id.equals(normalized)).findFirst();
    }

    /** {@code local, zookeeper, redis, etcd, lan, jdbc}. */
    public static String allowedValues() {
        return String.join(", ", Arrays.stream(values()).map(BackendType::id).toList());
    }
}
