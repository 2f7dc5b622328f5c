package dev.leader.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import dev.leader.election.InvalidSettingException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
        assertThat(settings.watchProgressInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.watchSilenceLimit()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aFractionalLeaseAsksEtcdForTheNextWholeSecond() {
        assertThat(EtcdBackendSettings.of("http://127.0.0.1:2379").withLeaseDuration(Duration.ofMillis(2500)).ttlSeconds()).isEqualTo(3);
    }

    @Test
    void badValuesNameTheProperty() {
        assertInvalid(() -> EtcdBackendSettings.of(List.of()), "leader.etcd.endpoints");
        assertThat(assertInvalid(() -> EtcdBackendSettings.of("127.0.0.1:2379"), "leader.etcd.endpoints").allowed())
                .contains("http://localhost:2379");
        assertThat(assertInvalid(() -> EtcdBackendSettings.of("http://127.0.0.1:2379").withPrefix("leader"), "leader.etcd.prefix")
                .value()).isEqualTo("leader");
        assertInvalid(() -> EtcdBackendSettings.of("http://127.0.0.1:2379").withCredentials("root", null), "leader.etcd.password");
        assertInvalid(() -> EtcdBackendSettings.of("http://127.0.0.1:2379").withCredentials(null, "secret"), "leader.etcd.user");
        assertInvalid(() -> EtcdBackendSettings.of("http://127.0.0.1:2379").withLeaseDuration(Duration.ofMillis(500)),
                "leader.lease-duration");
    }

    private static InvalidSettingException assertInvalid(ThrowingCallable call, String property) {
        InvalidSettingException thrown = catchThrowableOfType(InvalidSettingException.class, call);
        assertThat(thrown).as("refused, naming %s", property).isNotNull();
        assertThat(thrown.property()).isEqualTo(property);
        return thrown;
    }

    @Test
    void jsonReadsTheGatewaysShapes() {
        var reply = GatewayJson.parseObject("{\"result\":{\"header\":{\"revision\":\"7\"},\"events\":[{\"type\":\"DELETE\","
                + "\"kv\":{\"key\":\"" + GatewayJson.base64("/leader/x/1") + "\",\"mod_revision\":7}}],\"ok\":true,\"n\":null,"
                + "\"s\":\"a\\\"b\\u00e9\"}}");
        var result = GatewayJson.object(reply, "result");
        assertThat(GatewayJson.longOf(GatewayJson.object(result, "header").get("revision"))).isEqualTo(7);
        assertThat(GatewayJson.decode(GatewayJson.object(GatewayJson.objects(result, "events").get(0), "kv").get("key"))).isEqualTo("/leader/x/1");
        assertThat(GatewayJson.longOf(GatewayJson.object(GatewayJson.objects(result, "events").get(0), "kv").get("mod_revision"))).isEqualTo(7);
        assertThat(GatewayJson.bool(result, "ok")).isTrue();
        assertThat(result.get("s")).isEqualTo("a\"bé");
        assertThat(GatewayJson.longOf(result.get("missing"))).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> GatewayJson.parseObject("{\"a\":"));
    }

    @Test
    void errorsAreReadInBothOfTheGatewaysShapes() {
        // As etcd 3.4.23 answers a linearizable read, and a keep-alive, sent to a learner.
        EtcdException unary = EtcdException.from(503, "{\"error\":\"etcdserver: rpc not supported for learner\","
                + "\"message\":\"etcdserver: rpc not supported for learner\",\"code\":14}");
        EtcdException streamed = EtcdException.from(503, "{\"error\":{\"grpc_code\":14,\"http_code\":503,"
                + "\"message\":\"etcdserver: rpc not supported for learner\",\"http_status\":\"Service Unavailable\"}}");
        assertThat(unary.code()).isEqualTo(14);
        assertThat(unary.unavailable()).isTrue();
        assertThat(streamed.code()).isEqualTo(14);
        assertThat(streamed.unavailable()).isTrue();
        assertThat(streamed).hasMessageContaining("rpc not supported for learner");
        assertThat(EtcdException.isStreamError(GatewayJson.parseObject("{\"error\":{\"grpc_code\":14}}"))).isTrue();
        // A lease grant's answer has an "error" string of its own: not a stream error.
        assertThat(EtcdException.isStreamError(GatewayJson.parseObject("{\"ID\":\"1\",\"error\":\"\"}"))).isFalse();
    }

    @Test
    void aWatchProgressIntervalMustBePositive() {
        assertThat(EtcdBackendSettings.of("http://127.0.0.1:2379").withWatchProgressInterval(Duration.ofMillis(500))
                .watchSilenceLimit()).isEqualTo(Duration.ofMillis(1500));
        assertInvalid(() -> EtcdBackendSettings.of("http://127.0.0.1:2379").withWatchProgressInterval(Duration.ZERO),
                "leader.etcd.watch-progress-interval");
    }

    @Test
    void rangeEndCoversExactlyThePrefix() {
        assertThat(EtcdKv.rangeEnd("/leader/x/")).isEqualTo("/leader/x0");
    }
}
