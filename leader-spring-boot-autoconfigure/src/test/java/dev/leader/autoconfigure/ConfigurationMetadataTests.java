package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.leader.election.AbstractElection;
import dev.leader.election.LeaseDeadline;
import dev.leader.etcd.EtcdBackendSettings;
import dev.leader.jdbc.JdbcBackendSettings;
import dev.leader.lan.LanBackendSettings;
import dev.leader.redis.RedisBackendSettings;
import dev.leader.zookeeper.ZooKeeperBackendSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The configuration metadata an IDE shows is a checked copy: each default it states is the one
 * the owning settings class applies, and the backends it offers are the registered ones.
 */
class ConfigurationMetadataTests {

    private static final Map<String, Map<String, Object>> properties = new LinkedHashMap<>();

    private static final Map<String, List<String>> hints = new LinkedHashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readMetadata() throws IOException {
        try (InputStream in = ConfigurationMetadataTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            Map<String, Object> metadata = JsonParserFactory.getJsonParser().parseMap(new String(in.readAllBytes()));
            for (Object property : (List<Object>) metadata.get("properties")) {
                Map<String, Object> entry = (Map<String, Object>) property;
                properties.put((String) entry.get("name"), entry);
            }
            for (Object hint : (List<Object>) metadata.getOrDefault("hints", List.of())) {
                Map<String, Object> entry = (Map<String, Object>) hint;
                hints.put((String) entry.get("name"), ((List<Map<String, Object>>) entry.get("values")).stream()
                        .map(value -> String.valueOf(value.get("value"))).toList());
            }
        }
    }

    @Test
    void defaultsAreTheOnesTheSettingsApply() {
        assertDuration("leader.lease-duration", LeaseDeadline.DEFAULT_LEASE);
        assertDuration("leader.shutdown-timeout", AbstractElection.DEFAULT_DRAIN_TIMEOUT);
        assertDefault("leader.zookeeper.root", ZooKeeperBackendSettings.DEFAULT_ROOT);
        assertDefault("leader.redis.key-prefix", RedisBackendSettings.DEFAULT_KEY_PREFIX);
        assertDefault("leader.etcd.prefix", EtcdBackendSettings.DEFAULT_PREFIX);
        assertDuration("leader.etcd.watch-progress-interval", EtcdBackendSettings.DEFAULT_WATCH_PROGRESS_INTERVAL);
        assertDefault("leader.lan.address", LanBackendSettings.DEFAULT_ADDRESS);
        assertDefault("leader.lan.port", LanBackendSettings.DEFAULT_PORT);
        assertDefault("leader.lan.ttl", LanBackendSettings.DEFAULT_TTL);
        assertDefault("leader.jdbc.table-name", JdbcBackendSettings.DEFAULT_TABLE_NAME);
    }

    @Test
    void everyPropertyHasADescription() {
        assertThat(properties.values()).filteredOn(p -> ((String) p.get("name")).startsWith("leader."))
                .allSatisfy(p -> assertThat((String) p.get("description")).as("%s", p.get("name")).isNotBlank());
    }

    @Test
    void theBackendsOfferedAreTheRegisteredOnes() {
        assertThat(hints.get("leader.backend"))
                .containsExactlyElementsOf(Arrays.stream(BackendType.values()).map(BackendType::id).toList());
    }

    private static void assertDefault(String property, Object expected) {
        assertThat(properties).containsKey(property);
        assertThat(properties.get(property).get("defaultValue")).as("default of %s", property).isEqualTo(expected);
    }

    private static void assertDuration(String property, Duration expected) {
        assertThat(properties).containsKey(property);
        Object stated = properties.get(property).get("defaultValue");
        assertThat(stated).as("default of %s", property).isNotNull();
        assertThat(DurationStyle.detectAndParse(String.valueOf(stated))).as("default of %s", property).isEqualTo(expected);
    }
}
