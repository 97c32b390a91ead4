package dev.realtime.jakarta.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.ClientRegistry;
import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.server.RealtimeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The first-WebSocket race ("could not attach to the hub: IllegalStateException: The connection has been
 * closed", no open packet): {@code hub.connect()} wrote the connection to the client registry (Redis: a cold
 * pool on a fresh server) on the container's thread before greeting, so a slow registry held the open packet
 * back until the client gave up and closed, and {@code onOpen} then failed on the closed session. The registry
 * is now written off that thread, after the greeting: here it stays blocked until the client has its open packet
 * and a CONNECT answer.
 */
@Timeout(30)
class SlowRegistryTest {

    @Test
    void theClientIsGreetedAndServedWhileTheRegistryIsStillBlocked() throws Exception {
        CountDownLatch clientServed = new CountDownLatch(1);
        CountDownLatch registered = new CountDownLatch(1);
        ClientRegistry slow = new ClientRegistry() {
            @Override
            public void register(String clientId, Map<String, String> metadata) {
                try {
                    clientServed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                registered.countDown();
            }

            @Override
            public void subscribe(String clientId, String room) {
            }

            @Override
            public void unsubscribe(String clientId, String room) {
            }

            @Override
            public void refresh(Collection<String> clientIds) {
            }

            @Override
            public void remove(String clientId) {
            }
        };
        RealtimeHub hub = RealtimeHub.builder().clientRegistry(slow).build();
        try (RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build()) {
            int port = server.start();
            LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            frames.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            String open = frames.poll(5, TimeUnit.SECONDS);
            assertTrue(open != null && open.startsWith("0{\"sid\":"), "greeted at once: " + open);
            ws.sendText("40", true).get(5, TimeUnit.SECONDS);
            String connect = frames.poll(5, TimeUnit.SECONDS);
            assertTrue(connect != null && connect.startsWith("40{\"sid\":"), "and served: " + connect);
            assertEquals(1, registered.getCount(), "while the registry write was still blocked");
            clientServed.countDown();
            assertTrue(registered.await(5, TimeUnit.SECONDS));
            ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        } finally {
            hub.close();
        }
    }
}
