package dev.realtime.jakarta;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.glassfish.tyrus.client.ClientManager;

/**
 * A bare Tyrus client for tests: records every inbound text frame (parsed) in a queue, and the close reason.
 * It never answers pings. Optionally blocks its message handler on a gate until the test opens it.
 */
final class RawClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    /** Pongs received (answers to {@link #ping}). */
    final java.util.concurrent.atomic.AtomicInteger pongs = new java.util.concurrent.atomic.AtomicInteger();
    private final ClientManager manager = ClientManager.createClient();
    private final CountDownLatch gate;
    private final CountDownLatch blocked = new CountDownLatch(1);
    private Session session;

    private RawClient(CountDownLatch gate) {
        this.gate = gate;
    }

    static RawClient connect(URI uri) throws Exception {
        return connect(uri, null, Map.of());
    }

    /** Connects; when {@code gate} is given, the first message blocks the handler until the gate opens. */
    static RawClient connect(URI uri, CountDownLatch gate, Map<String, String> headers) throws Exception {
        RawClient c = new RawClient(gate);
        ClientEndpointConfig cec = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> h) {
                        headers.forEach((k, v) -> h.put(k, List.of(v)));
                    }
                }).build();
        c.session = c.manager.connectToServer(c.new Listener(), cec, uri);
        c.session.setMaxTextMessageBufferSize(64 * 1024 * 1024);
        return c;
    }

    private final class Listener extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) p -> pongs.incrementAndGet());
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                if (gate != null && gate.getCount() > 0) {
                    blocked.countDown();
                    try {
                        gate.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                try {
                    frames.add(MAPPER.readTree(text));
                } catch (IOException e) {
                    throw new IllegalStateException("server sent invalid JSON: " + text, e);
                }
            });
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            closed.complete(closeReason);
        }
    }

    /** Waits until the handler is blocked on the gate. */
    void awaitBlocked() throws InterruptedException {
        blocked.await(10, TimeUnit.SECONDS);
    }

    /** Sends; a server that already closed the connection (the point of some tests) is not an error here. */
    void send(String text) throws IOException {
        try {
            session.getBasicRemote().sendText(text);
        } catch (IOException | RuntimeException e) {
            if (session.isOpen() && !closed.isDone()) {
                throw e;
            }
        }
    }

    /** Sends a WebSocket ping (the server's container answers it with a pong, past the hub). */
    void ping() throws IOException {
        session.getBasicRemote().sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }

    void sendBinary(byte[] data) throws IOException {
        try {
            session.getBasicRemote().sendBinary(ByteBuffer.wrap(data));
        } catch (IOException | RuntimeException e) {
            if (session.isOpen() && !closed.isDone()) {
                throw e;
            }
        }
    }

    /** The next frame, failing after 10 s. */
    JsonNode next() throws InterruptedException {
        JsonNode f = frames.poll(10, TimeUnit.SECONDS);
        assertNotNull(f, "no frame within 10 s");
        return f;
    }

    /** The next frame of {@code type}, skipping others (e.g. pings). */
    JsonNode next(String type) throws InterruptedException {
        return next(f -> type.equals(f.path("type").asText()));
    }

    JsonNode next(Predicate<JsonNode> match) throws InterruptedException {
        while (true) {
            JsonNode f = next();
            if (match.test(f)) {
                return f;
            }
        }
    }

    int closeCode() throws Exception {
        return closed.get(10, TimeUnit.SECONDS).getCloseCode().getCode();
    }

    @Override
    public void close() {
        if (gate != null) {
            while (gate.getCount() > 0) {
                gate.countDown(); // never leave a client thread parked on the gate after the test
            }
        }
        try {
            if (session != null && session.isOpen()) {
                session.close();
            }
        } catch (IOException e) {
            // already gone
        } finally {
            manager.shutdown();
        }
    }
}
