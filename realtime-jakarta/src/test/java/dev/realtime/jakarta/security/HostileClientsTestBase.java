package dev.realtime.jakarta.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.Jwts;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.server.ServerLimits;
import dev.realtime.jakarta.socketio.RawSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * Shared fixture of the hostile-client tests ({@link HostileClientsTest}, {@link HostileClientsProtocolTest}): a
 * standalone server per test on fast timeouts, with a healthy native client subscribed to {@code job:healthy}
 * whose events (and {@code /health}) {@link #assertHealthy} checks after an attack; connections a test keeps are
 * closed after it, then the server and the hub.
 *
 * <p>One instance per test method (JUnit's default lifecycle); used from the test thread only.
 */
@Timeout(60)
abstract class HostileClientsTestBase {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final ServerLimits FAST = ServerLimits.defaults()
            .withTimeouts(Duration.ofMillis(800), Duration.ofMillis(800))
            .withBodyRate(1024, Duration.ofMillis(600))
            .withWorkers(2, 1000);

    final List<AutoCloseable> open = new ArrayList<>();
    final AtomicInteger tick = new AtomicInteger();
    RealtimeHub hub;
    RealtimeServer server;
    int port;
    RawSocket healthy;

    void start(UnaryOperator<RealtimeHub.Builder> hubConfig) throws Exception {
        start(hubConfig, b -> b);
    }

    void start(UnaryOperator<RealtimeHub.Builder> hubConfig, UnaryOperator<RealtimeServer.Builder> serverConfig)
            throws Exception {
        hub = hubConfig.apply(RealtimeHub.builder()).build();
        server = serverConfig.apply(RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).limits(FAST)).build();
        port = server.start();
        healthy = RawSocket.open(port, "/ws" + (hubUsesJwt ? "?token=" + token("healthy", "admin") : ""));
        healthy.nextNonPing();
        healthy.send("{\"type\":\"subscribe\",\"room\":\"job:healthy\"}");
        assertTrue(healthy.nextNonPing().contains("\"subscribed\""));
    }

    boolean hubUsesJwt;

    void assertHealthy() throws Exception {
        int n = tick.incrementAndGet() % 101;
        hub.jobs().progress("healthy", n, null);
        JsonNode e = MAPPER.readTree(healthy.nextNonPing());
        assertEquals(n, e.path("data").path("progress").asInt(), "the healthy client keeps receiving events");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "/health answers");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (healthy != null) {
            healthy.close();
        }
        if (server != null) {
            server.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    static String token(String sub, String... roles) {
        return Jwts.hs256(Jwts.claims(sub, Instant.now()).audience("realtime").claim("roles", List.of(roles)).build());
    }

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }
}
