package dev.leader.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdBackendSettingsTest {

    @Test
    void defaultsAreThoseOfTheProperties() {
        EtcdBackendSettings settings = EtcdBackendSettings.of("http://127.0.0.1:2379, http://127.0.0.1:22379");
        assertThat(settings.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"), URI.create("http://127.0.0.1:22379"));
        assertThat(settings.prefix()).isEqualTo("/leader/");
        assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.ttlSeconds()).isEqualTo(10);
        assertThat(settings.keepAliveInterval()).isEqualTo(Duration.ofMillis(3333).plusNanos(333_333));
        assertThat(settings.user()).isNull();
    }

    @Test
    void aFractionalLeaseAsksEtcdForTheNextWholeSecond() {
        assertThat(EtcdBackendSettings.of("http://127.0.0.1:2379").withLeaseDuration(Duration.ofMillis(2500)).ttlSeconds()).isEqualTo(3);
    }

    @Test
    void badValuesNameTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackendSettings.of(List.of()))
                .withMessageContaining("leader.etcd.endpoints");
        assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackendSettings.of("127.0.0.1:2379"))
                .withMessageContaining("leader.etcd.endpoints").withMessageContaining("http://host:port");
        assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackendSettings.of("http://127.0.0.1:2379").withPrefix("leader"))
                .withMessageContaining("leader.etcd.prefix");
        assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackendSettings.of("http://127.0.0.1:2379").withCredentials("root", null))
                .withMessageContaining("leader.etcd.password");
        assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackendSettings.of("http://127.0.0.1:2379").withCredentials(null, "secret"))
                .withMessageContaining("leader.etcd.user");
        assertThatIllegalArgumentException().isThrownBy(() -> EtcdBackendSettings.of("http://127.0.0.1:2379").withLeaseDuration(Duration.ofMillis(500)))
                .withMessageContaining("leader.lease-duration");
    }

    @Test
    void jsonReadsTheGatewaysShapes() {
        var reply = Json.parseObject("{\"result\":{\"header\":{\"revision\":\"7\"},\"events\":[{\"type\":\"DELETE\","
                + "\"kv\":{\"key\":\"" + Json.base64("/leader/x/1") + "\",\"mod_revision\":7}}],\"ok\":true,\"n\":null,"
                + "\"s\":\"a\\\"b\\u00e9\"}}");
        var result = Json.object(reply, "result");
        assertThat(Json.longOf(Json.object(result, "header").get("revision"))).isEqualTo(7);
        assertThat(Json.decode(Json.object(Json.objects(result, "events").get(0), "kv").get("key"))).isEqualTo("/leader/x/1");
        assertThat(Json.longOf(Json.object(Json.objects(result, "events").get(0), "kv").get("mod_revision"))).isEqualTo(7);
        assertThat(Json.bool(result, "ok")).isTrue();
        assertThat(result.get("s")).isEqualTo("a\"bé");
        assertThat(Json.longOf(result.get("missing"))).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> Json.parseObject("{\"a\":"));
    }

    @Test
    void rangeEndCoversExactlyThePrefix() {
        assertThat(EtcdKv.rangeEnd("/leader/x/")).isEqualTo("/leader/x0");
    }
}
