package dev.realtime.spring.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.socketio.SocketIoScenarios;
import dev.realtime.jakarta.socketio.SocketIoTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot's auto-configured Socket.IO endpoint with polling beside the WebSocket handler: the npm
 * socket.io-client in its three transport modes, and CORS for the configured origins.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "realtime.allowed-origins=http://localhost:3000,https://quizai.nl",
        "realtime.limits.handshakes-per-ip-per-second=10000"})
@Timeout(120)
class SpringPollingTest implements SocketIoTestServer {
    private static final Path JAKARTA_NODE = Path.of("../realtime-jakarta/src/test/node");
    private final SocketIoScenarios scenarios = new SocketIoScenarios(JAKARTA_NODE);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @Autowired
    RealtimeHub hub;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApp {
        @Bean
        ApplicationRunner peerNamespace(RealtimeHub hub) {
            return args -> SocketIoTestServer.withPeerNamespace(hub);
        }
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public RealtimeHub hub() {
        return hub;
    }

    private static void requireNode() {
        assumeTrue(Files.isDirectory(JAKARTA_NODE.resolve("node_modules/socket.io-client")),
                "run realtime-jakarta's build first (it installs socket.io-client with npm ci)");
    }

    @Test
    void corsPreflightForAnAllowedOriginAndForbiddenForAForeignOne() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(url()
                        + "/socket.io/?EIO=4&transport=polling")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://quizai.nl").header("Access-Control-Request-Method", "POST").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://quizai.nl");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
        HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(url()
                + "/socket.io/?EIO=4&transport=polling")).header("Origin", "http://localhost:3000").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).startsWith("0{\"sid\":");
        assertThat(open.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(url()
                + "/socket.io/?EIO=4&transport=polling")).header("Origin", "https://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void seed002JobMonitor(String mode) throws Exception {
        requireNode();
        scenarios.jobs(this, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void acknowledgementsBothWays(String mode) throws Exception {
        requireNode();
        scenarios.acks(this, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void binaryBothWays(String mode) throws Exception {
        requireNode();
        scenarios.binary(this, mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "polling", "websocket"})
    void recoveryAfterACut(String mode) throws Exception {
        requireNode();
        scenarios.recovery(this, mode);
    }
}
