package dev.realtime.jakarta.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.tyrus.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server that greets and then goes silent: the client must notice and reconnect. */
@Timeout(20)
class ClientHeartbeatTest {
    static final AtomicInteger CONNECTIONS = new AtomicInteger();

    /** Greets with a 100 ms heartbeat, then never sends anything again. */
    public static final class SilentEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            int n = CONNECTIONS.incrementAndGet();
            try {
                session.getBasicRemote().sendText(
                        "{\"type\":\"connection\",\"clientId\":\"s-" + n + "\",\"heartbeatMs\":100}");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Deploys {@link SilentEndpoint} at /ws. */
    public static final class App implements ServerApplicationConfig {
        @Override
        public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> endpointClasses) {
            return Set.of(ServerEndpointConfig.Builder.create(SilentEndpoint.class, "/ws").build());
        }

        @Override
        public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
            return Set.of();
        }
    }

    @Test
    void silentServerIsDetectedAndTheClientReconnects() throws Exception {
        // Tyrus's Server: port -1 means "any free port" (0 would mean 8025)
        Server server = new Server("127.0.0.1", -1, "/", Map.of(), App.class);
        server.start();
        try (RealtimeClient client = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + server.getPort() + "/ws"))
                .heartbeatGrace(Duration.ofMillis(150))
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
                .build()) {
            CompletableFuture<String> disconnected = new CompletableFuture<>();
            CountDownLatch reconnected = new CountDownLatch(1);
            client.addListener(new ClientListener() {
                @Override
                public void onDisconnected(int code, String reason, boolean willReconnect) {
                    disconnected.complete(code + " " + reason + " " + willReconnect);
                }

                @Override
                public void onConnected(String clientId, boolean reconnect) {
                    if (reconnect) {
                        reconnected.countDown();
                    }
                }
            });
            client.connect().get(5, TimeUnit.SECONDS);
            assertEquals("1006 heartbeat timeout true", disconnected.get(5, TimeUnit.SECONDS));
            assertTrue(reconnected.await(5, TimeUnit.SECONDS));
            assertTrue(CONNECTIONS.get() >= 2);
        } finally {
            server.stop();
        }
    }
}
