package dev.leader.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import dev.leader.testsupport.EtcdCluster;
import dev.leader.testsupport.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's HTTP/1.1 on real etcd members: answers of both framings, kept-alive connections, timeouts, TLS. */
class GatewayWireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void answersOfEitherFramingAreReadWholeAndOneConnectionServesCallAfterCall() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1); GatewayWire wire = new GatewayWire(null, TIMEOUT)) {
            URI member = etcd.endpoint(0);
            String value = "v".repeat(1024);
            for (int i = 0; i < 20; i++) {
                put(wire, member, "/wire/key-" + i, value);
            }
            // Twenty 1 KiB values: more than the gateway buffers, so the answer comes chunked.
            GatewayWire.Answer large = wire.post(member, "/v3/kv/range", "{\"key\":\"" + GatewayJson.base64("/wire/")
                    + "\",\"range_end\":\"" + GatewayJson.base64(EtcdKv.rangeEnd("/wire/")) + "\"}", null, TIMEOUT);
            GatewayWire.Answer small = wire.post(member, "/v3/kv/range", "{\"key\":\"" + GatewayJson.base64("/wire/key-7")
                    + "\"}", null, TIMEOUT);

            assertThat(large.status()).isEqualTo(200);
            List<Map<String, Object>> kvs = GatewayJson.objects(GatewayJson.parseObject(large.body()), "kvs");
            assertThat(kvs).hasSize(20).allSatisfy(kv -> assertThat(GatewayJson.decode(kv.get("value"))).isEqualTo(value));
            assertThat(GatewayJson.objects(GatewayJson.parseObject(small.body()), "kvs")).hasSize(1);
            assertThat(wire.connections()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionTheMemberDroppedWhileIdleIsReplacedOnce() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1); GatewayWire wire = new GatewayWire(null, TIMEOUT)) {
            URI member = etcd.endpoint(0);
            put(wire, member, "/wire/before", "1");
            etcd.kill9(0);
            etcd.restart(0);

            put(wire, member, "/wire/after", "2");

            assertThat(wire.connections()).isEqualTo(1);
        }
    }

    @Test
    void connectionsOpenedForCallsAtOnceAreClosedOnceIdleButTheOneUsedLast() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1); GatewayWire wire = new GatewayWire(null, TIMEOUT)) {
            URI member = etcd.endpoint(0);
            put(wire, member, "/wire/before", "1");
            ExecutorService callers = Executors.newFixedThreadPool(4);
            try {
                // A paused member holds four calls at once, each on a connection of its own.
                etcd.pause(0);
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String key = "/wire/burst-" + i;
                    calls.add(callers.submit(() -> {
                        put(wire, member, key, "1");
                        return null;
                    }));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> wire.connections() == 4);
                etcd.resume(0);
                for (Future<?> call : calls) {
                    call.get(10, TimeUnit.SECONDS);
                }
            }
            finally {
                etcd.resume(0);
                callers.shutdownNow();
            }
            assertThat(wire.connections()).isEqualTo(4);

            // No call since (a backend at rest): the connections are let go once idle, but one.
            await().atMost(GatewayWire.IDLE_TIMEOUT.multipliedBy(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
                wire.closeIdle();
                return wire.connections() == 1;
            });
            put(wire, member, "/wire/after", "2");
            assertThat(wire.connections()).isEqualTo(1);
        }
    }

    @Test
    void aSilentMemberFailsTheCallAtItsTimeoutAndAStreamAtItsOpening() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1); GatewayWire wire = new GatewayWire(null, TIMEOUT)) {
            URI member = etcd.endpoint(0);
            put(wire, member, "/wire/before", "1");
            etcd.pause(0);
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> put(wire, member, "/wire/silent", "2", Duration.ofMillis(300)))
                        .isInstanceOf(HttpTimeoutException.class);
                assertThatThrownBy(() -> wire.stream(member, "/v3/watch", "{}", null, Map.of(), Duration.ofMillis(300)))
                        .isInstanceOf(HttpTimeoutException.class);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("both gave up (ms)").isLessThan(TIMEOUT.toMillis());
            }
            finally {
                etcd.resume(0);
            }
            assertThat(wire.connections()).isZero();
        }
    }

    @Test
    void aWatchStreamDeliversEachEventAsItComesAndClosingItUnblocksItsReader() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1); GatewayWire wire = new GatewayWire(null, TIMEOUT)) {
            URI member = etcd.endpoint(0);
            GatewayWire.Streamed watch = wire.stream(member, "/v3/watch", "{\"create_request\":{\"key\":\""
                    + GatewayJson.base64("/wire/watched") + "\"}}", null, Map.of(), TIMEOUT);
            BufferedReader lines = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).contains("\"created\":true");

            put(wire, member, "/wire/watched", "1");
            assertThat(lines.readLine()).contains("\"events\"");
            watch.body().close();

            assertThatThrownBy(lines::readLine).isInstanceOf(java.io.IOException.class);
            assertThat(wire.connections()).isEqualTo(1);
        }
    }

    @Test
    void anHttpsMemberWhoseCertificateDoesNotNameTheHostIsRefused(@TempDir Path dir) throws Exception {
        TestCertificates.SelfSigned certificate = TestCertificates.selfSigned(dir);
        SSLContext trust = certificate.trust();
        try (EtcdCluster secured = EtcdCluster.builder(1).tls(certificate.certificate(), certificate.key(), trust).start();
                GatewayWire wire = new GatewayWire(trust, TIMEOUT)) {
            URI named = secured.endpoint(0);
            URI unnamed = URI.create("https://localhost:" + named.getPort());

            put(wire, named, "/wire/tls", "1");
            assertThatThrownBy(() -> put(wire, unnamed, "/wire/tls", "2")).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("localhost");
        }
    }

    private static void put(GatewayWire wire, URI member, String key, String value) throws Exception {
        put(wire, member, key, value, TIMEOUT);
    }

    private static void put(GatewayWire wire, URI member, String key, String value, Duration timeout) throws Exception {
        GatewayWire.Answer answer = wire.post(member, "/v3/kv/put", "{\"key\":\"" + GatewayJson.base64(key) + "\",\"value\":\""
                + GatewayJson.base64(value) + "\"}", null, timeout);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
}
