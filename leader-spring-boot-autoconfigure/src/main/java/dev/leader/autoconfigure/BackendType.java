package dev.leader.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The backends {@code leader.backend} can name, with what each needs on the class path. */
public enum BackendType {

    LOCAL("local", null, null, "leader.local.directory"),

    ZOOKEEPER("zookeeper", "org.apache.zookeeper.ZooKeeper", "org.apache.zookeeper:zookeeper",
            "leader.zookeeper.connect-string"),

    REDIS("redis", "io.lettuce.core.RedisClient", "io.lettuce:lettuce-core", "leader.redis.url"),

    ETCD("etcd", null, null, "leader.etcd.endpoints"),

    LAN("lan", null, null, "leader.lan.secret", "leader.lan.group", "leader.lan.port", "leader.lan.interface");

    private final String id;

    private final String clientClass;

    private final String dependency;

    private final List<String> markerProperties;

    BackendType(String id, String clientClass, String dependency, String... markerProperties) {
        this.id = id;
        this.clientClass = clientClass;
        this.dependency = dependency;
        this.markerProperties = List.of(markerProperties);
    }

    /** The value of {@code leader.backend}. */
    public String id() {
        return id;
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

    /** {@code local, zookeeper, redis, etcd, lan}. */
    public static String allowedValues() {
        return String.join(", ", Arrays.stream(values()).map(BackendType::id).toList());
    }
}
