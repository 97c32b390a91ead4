package dev.realtime.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.jobs.JobPublisher;
import dev.realtime.jakarta.socketio.NodePeer;
import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.client.RealtimeEvent;
import dev.realtime.jakarta.client.SubscribeResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The auto-configuration on a real embedded Tomcat (random port): the Java client over {@code /ws}, the official
 * npm socket.io-client over {@code /socket.io/}, HTTP-level refusals, metrics and health.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "realtime.allowed-origins=http://app.example",
        "management.endpoint.health.show-details=always",
        "management.endpoints.web.exposure.include=health"})
@Timeout(60)
class RealtimeServerIntegrationTest {
    /** realtime-jakarta\'s node project: its build runs npm ci there before this module builds. */
    private static final java.nio.file.Path JAKARTA_NODE = java.nio.file.Path.of("../realtime-jakarta/src/test/node");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @Autowired
    JobPublisher jobs;

    @Autowired
    RealtimeHub hub;

    @Autowired
    MeterRegistry meters;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApp {
    }

    @Test
    void javaClientReceivesJobEventsPublishedThroughTheBean() throws Exception {
        List<RealtimeEvent> events = new CopyOnWriteArrayList<>();
        try (RealtimeClient client = client()) {
            client.on("job:update", events::add);
            client.on("job:progress", events::add);
            client.on("job:completed", events::add);
            client.connect().get(5, TimeUnit.SECONDS);
            SubscribeResult sub = client.subscribe("job:42").get(5, TimeUnit.SECONDS);
            assertThat(sub.room()).isEqualTo("job:42");

            jobs.update("42", "started", Map.of("message", "Job processing started"));
            jobs.progress("42", 40, "Analyzing content");
            jobs.completed("42", Map.of("count", 3));

            await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);
            assertThat(events).extracting(RealtimeEvent::event)
                    .containsExactly("job:update", "job:progress", "job:completed");
            assertThat(events.get(1).data().path("progress").asInt()).isEqualTo(40);
            assertThat(events.get(1).data().path("status").asText()).isEqualTo("in_progress");
            assertThat(events.get(2).data().path("result").path("count").asInt()).isEqualTo(3);
            assertThat(events).extracting(RealtimeEvent::offset).containsExactly(1L, 2L, 3L);

            // metrics while connected
            assertThat(meters.get("realtime.connections").gauge().value()).isGreaterThanOrEqualTo(1.0);
            assertThat(meters.get("realtime.published").functionCounter().count()).isGreaterThanOrEqualTo(3.0);
            assertThat(meters.get("realtime.messages.out").functionCounter().count()).isGreaterThanOrEqualTo(3.0);
            assertThat(meters.get("realtime.messages.in").functionCounter().count()).isGreaterThanOrEqualTo(1.0);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().connections() == 0);
    }

    @Test
    void largeMessagesUpToTheFrameLimitPassTheContainer() throws Exception {
        // Tomcat's default message buffer is 8 KiB: the handler raises the session's limit (and the container default) to
        // realtime.max-frame-size (1 MB)
        try (RealtimeClient client = client()) {
            client.connect().get(5, TimeUnit.SECONDS);
            hub.on("measure", Blob.class, (c, blob) -> Map.of("length", blob.blob().length()));
            JsonNode ack = client.emit("measure", new Blob("x".repeat(200_000))).get(5, TimeUnit.SECONDS);
            assertThat(ack.path("length").asInt()).isEqualTo(200_000);
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void officialSocketIoClientReceivesAllFourJobEvents() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(JAKARTA_NODE.resolve("node_modules/socket.io-client")),
                "run realtime-jakarta's build first (it installs socket.io-client with npm ci)");
        try (NodePeer peer = new NodePeer(JAKARTA_NODE, "http://127.0.0.1:" + port, "jobs")) {
            JsonNode ack = peer.next("ack").path("ack");
            assertThat(ack.path("success").asBoolean()).isTrue();
            assertThat(ack.path("room").asText()).isEqualTo("job:job-7");
            peer.next("ready");
            jobs.update("job-7", "started", Map.of("message", "Job processing started"));
            jobs.progress("job-7", 40, "Analyzing content");
            jobs.completed("job-7", Map.of("count", 3));
            jobs.failed("job-7", "late failure");
            JsonNode events = peer.next("events").path("events");
            assertThat(List.of(events.get(0).path("event").asText(), events.get(1).path("event").asText(),
                    events.get(2).path("event").asText(), events.get(3).path("event").asText()))
                    .containsExactly("job:update", "job:progress", "job:completed", "job:error");
            assertThat(events.get(1).path("data").path("progress").asInt()).isEqualTo(40);
            assertThat(events.get(2).path("data").path("result").path("count").asInt()).isEqualTo(3);
            assertThat(events.get(3).path("data").path("status").asText()).isEqualTo("failed");
            assertThat(peer.next("unsub").path("unsub").path("success").asBoolean()).isTrue();
            peer.awaitDone();
        }
    }

    @Test
    void engineIoV3IsRefusedWith400() throws Exception {
        HttpResponse<String> v3 = get("/socket.io/?EIO=3&transport=polling", Map.of());
        assertThat(v3.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(v3.body()).path("code").asInt()).isEqualTo(5);
        assertThat(v3.body()).contains("Unsupported protocol version");

        // a WebSocket handshake sent as plain HTTP: Engine.IO's "Bad request", as the reference answers it
        HttpResponse<String> plain = get("/socket.io/?EIO=4&transport=websocket", Map.of());
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(plain.body()).path("code").asInt()).isEqualTo(3);

        HttpResponse<String> polling = get("/socket.io/?EIO=4&transport=polling", Map.of());
        assertThat(polling.statusCode()).isEqualTo(200);
        assertThat(polling.body()).startsWith("0{\"sid\":");
    }

    @Test
    void foreignOriginIsRefusedWith403BeforeUpgrading() throws Exception {
        HttpResponse<String> refused = get("/ws", Map.of("Origin", "http://evil.example"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("forbidden");
        // an allowed origin passes the hub and reaches Spring's upgrade (which wants a real upgrade request)
        assertThat(get("/ws", Map.of("Origin", "http://app.example")).statusCode()).isEqualTo(400);
    }

    @Test
    void healthIsUpWithHubDetails() throws Exception {
        HttpResponse<String> health = get("/actuator/health", Map.of());
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode realtime = JSON.readTree(health.body()).path("components").path("realtime");
        assertThat(realtime.path("status").asText()).isEqualTo("UP");
        assertThat(realtime.path("details").path("hub").asText()).isEqualTo("running");
        assertThat(realtime.path("details").path("broker").asText()).isEqualTo("local");
    }

    record Blob(String blob) {
    }

    /** The Tyrus client sends an Origin header: present an allowed one. */
    private RealtimeClient client() {
        return RealtimeClient.builder(URI.create("ws://127.0.0.1:" + port + "/ws"))
                .header("Origin", "http://app.example").build();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET();
        headers.forEach(req::header);
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }
}
