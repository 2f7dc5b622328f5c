package dev.leader.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import dev.leader.spring.ElectionRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The endpoint over real HTTP, on the local backend. */
class LeaderEndpointWebTests {

    static Path locks() {
        try {
            return Files.createTempDirectory("leader-web");
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @SpringBootApplication
    static class App {
    }

    abstract static class Base {

        @LocalServerPort
        int port;

        private final HttpClient client = HttpClient.newHttpClient();

        HttpResponse<String> send(String method, String path) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }

        Map<String, Object> json(HttpResponse<String> response) {
            return JsonParserFactory.getJsonParser().parseMap(response.body());
        }

        @Autowired
        ElectionRegistry registry;

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry properties) {
            Path directory = locks();
            properties.add("leader.local.directory", directory::toString);
        }

        void awaitLeader() {
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.defaultElection().isLeader());
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "management.endpoints.web.exposure.include=leader,health", "spring.application.name=web-test",
            "management.endpoint.health.show-details=always" })
    class ReadOnlyByDefault extends Base {

        @Test
        @SuppressWarnings("unchecked")
        void getShowsEveryElection() throws Exception {
            awaitLeader();
            HttpResponse<String> response = send("GET", "/actuator/leader");
            assertThat(response.statusCode()).isEqualTo(200);
            Map<String, Object> body = json(response);
            assertThat(body).containsEntry("candidateId", registry.candidateId()).containsEntry("backend", "local");
            Map<String, Object> election = (Map<String, Object>) ((Map<String, Object>) body.get("elections")).get("web-test");
            assertThat(election).containsEntry("state", "LEADER").containsEntry("leader", true)
                    .containsEntry("leaderId", registry.candidateId()).containsKeys("fencingToken", "grantedAt", "leaseDeadline");
            assertThat(((Number) election.get("fencingToken")).longValue()).isPositive();
        }

        @Test
        void getOneElectionAndUnknownIs404() throws Exception {
            awaitLeader();
            assertThat(json(send("GET", "/actuator/leader/web-test"))).containsEntry("state", "LEADER");
            assertThat(send("GET", "/actuator/leader/nope").statusCode()).isEqualTo(404);
        }

        @Test
        void deleteIsRefusedAndLeadershipStays() throws Exception {
            awaitLeader();
            long token = registry.defaultElection().leadership().orElseThrow().fencingToken();
            HttpResponse<String> response = send("DELETE", "/actuator/leader/web-test");
            assertThat(response.statusCode()).as("status").isBetween(400, 499);
            assertThat(registry.defaultElection().isLeader()).isTrue();
            assertThat(registry.defaultElection().leadership().orElseThrow().fencingToken()).isEqualTo(token);
        }

        @Test
        void healthShowsLeaderDetails() throws Exception {
            awaitLeader();
            String health = send("GET", "/actuator/health").body();
            assertThat(health).contains("\"leader\"").contains("\"role\":\"leader\"").contains("\"backend\":\"local\"");
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "management.endpoints.web.exposure.include=leader", "spring.application.name=web-yield",
            "management.endpoint.leader.access=unrestricted" })
    class YieldWhenUnrestricted extends Base {

        @Test
        void deleteYields() throws Exception {
            awaitLeader();
            HttpResponse<String> response = send("DELETE", "/actuator/leader/web-yield");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response)).containsEntry("yielded", true).containsEntry("election", "web-yield");
        }
    }
}
