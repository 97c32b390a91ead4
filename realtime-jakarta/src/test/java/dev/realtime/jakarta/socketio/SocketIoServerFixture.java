package dev.realtime.jakarta.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import java.time.Duration;
import java.util.Map;

/** A real server on an ephemeral port with the test namespace {@code /peer}: echo, ask (server-to-client ack), upload. */
final class SocketIoServerFixture implements AutoCloseable, SocketIoTestServer {
    final RealtimeHub hub;
    final RealtimeServer server;
    final int port;

    SocketIoServerFixture(RealtimeHub.Builder builder) {
        // every test client comes from 127.0.0.1: lift the per-address handshake rate
        hub = withPeerNamespace(builder.limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build());
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        port = server.start();
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public RealtimeHub hub() {
        return hub;
    }

    /** Adds the test namespace {@code /peer} (echo, ask, upload) to a hub. */
    static RealtimeHub withPeerNamespace(RealtimeHub hub) {
        hub.namespace("/peer")
                .on("echo", JsonNode.class, (client, payload) -> payload)
                .on("ask", JsonNode.class, (client, payload) -> client.emitWithAck("confirm", payload,
                        Duration.ofSeconds(5)).thenApply(args -> args.get(0)))
                .on("upload", JsonNode.class, (client, payload) -> {
                    byte[] bytes = payload.path("file").binaryValue();
                    client.emit("got", Map.of("copy", bytes));
                    return Map.of("size", bytes.length, "copy", bytes);
                });
        return hub;
    }

    @Override
    public void close() {
        server.close();
        hub.close();
    }
}
