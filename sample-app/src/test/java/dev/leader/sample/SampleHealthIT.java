package dev.leader.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The sample with its backend unreachable from the start (a Redis address nobody listens on):
 * it starts and serves, its aggregate health stays UP and the {@code leader} component says
 * UNREACHABLE; with {@code leader.health.down-when-unreachable} the aggregate is DOWN; liveness
 * is UP either way.
 */
class SampleHealthIT {

    private static final String PROBES = "--management.endpoint.health.probes.enabled=true";

    private static final String LEASE = "--leader.lease-duration=2s";

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anUnreachableBackendDoesNotTakeTheSampleOutOfService() throws IOException {
        String nowhere = "--leader.redis.url=redis://127.0.0.1:" + unusedPort();
        try (SampleInstances instances = new SampleInstances(work)) {
            SampleInstances.Instance byDefault = instances.start(nowhere, PROBES, LEASE);
            SampleInstances.Instance optedIn = instances.start(nowhere, PROBES, LEASE,
                    "--leader.health.down-when-unreachable=true");
            await().atMost(SampleInstances.BOOT).pollInterval(Duration.ofMillis(250))
                    .until(() -> leaderComponent(byDefault).equals("UNREACHABLE") && leaderComponent(optedIn).equals("DOWN"));
            assertThat(health(byDefault, "")).containsEntry("status", "UP");
            assertThat(health(optedIn, "")).containsEntry("status", "DOWN");
            for (SampleInstances.Instance instance : new SampleInstances.Instance[] { byDefault, optedIn }) {
                assertThat(health(instance, "/liveness")).containsEntry("status", "UP");
            }
        }
    }

    private String leaderComponent(SampleInstances.Instance instance) {
        try {
            Object components = health(instance, "").get("components");
            if (components instanceof Map<?, ?> map && map.get("leader") instanceof Map<?, ?> leader) {
                return String.valueOf(leader.get("status"));
            }
            return "";
        }
        catch (IOException ex) {
            return "";
        }
    }

    private Map<String, Object> health(SampleInstances.Instance instance, String group) throws IOException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port()
                    + "/actuator/health" + group)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return JsonParserFactory.getJsonParser().parseMap(response.body());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
