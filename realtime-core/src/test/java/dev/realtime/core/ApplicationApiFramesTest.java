package dev.realtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.testing.RecordingTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application API frame by frame: zero and several arguments and ack values on the Socket.IO wire (recovery
 * off, so no offset argument), and the same API on the native protocol (middleware of the default namespace,
 * onAny, first ack value, several emit arguments as an array).
 */
class ApplicationApiFramesTest {
    private final RealtimeHub hub = RealtimeHub.builder()
            .socketIo(SocketIoOptions.defaults().withRecovery(false, java.time.Duration.ofMinutes(1))).build();

    @AfterEach
    void close() {
        hub.close();
    }

    private RecordingTransport socketIo() {
        RecordingTransport t = new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket")), "127.0.0.1"));
        handle = hub.connect(t, Protocol.SOCKET_IO);
        t.nextText(); // open
        return t;
    }

    private ConnectionHandle handle;

    @Test
    void argumentsAndAckValuesOnTheSocketIoWire() {
        List<String> seen = new CopyOnWriteArrayList<>();
        hub.namespace("/api")
                .on("zero", (c, args) -> {
                    c.emit("none");
                    c.emit("pair", "a", 2);
                    return Ack.none();
                })
                .on("many", (c, args) -> {
                    seen.add(args.size() + ":" + args.get(0).asText() + args.get(2, Integer.class));
                    return Ack.of(1, "x", null);
                });
        RecordingTransport t = socketIo();
        handle.onText("40/api,");
        assertTrue(t.nextText().startsWith("40/api,{\"sid\""));
        handle.onText("42/api,5[\"zero\"]");
        assertEquals("42/api,[\"none\"]", t.nextText());
        assertEquals("42/api,[\"pair\",\"a\",2]", t.nextText());
        assertEquals("43/api,5[]", t.nextText());
        handle.onText("42/api,6[\"many\",\"q\",true,7]");
        assertEquals("43/api,6[1,\"x\",null]", t.nextText());
        assertEquals(List.of("3:q7"), seen);
    }

    @Test
    void theNativeProtocolSharesTheDefaultNamespace() {
        List<String> any = new CopyOnWriteArrayList<>();
        Namespace root = hub.namespace("/");
        root.use(client -> {
            if (client.handshake().queryParam("banned").isPresent()) {
                throw new RealtimeException(ErrorCode.FORBIDDEN, "banned");
            }
        });
        root.onAny((client, event, args) -> any.add(event + "/" + args.size()));
        root.on("two", (c, args) -> {
            c.emit("both", 1, "b");
            return Ack.of("first", "second");
        });
        RecordingTransport ok = new RecordingTransport();
        ConnectionHandle h = hub.connect(ok, Protocol.NATIVE);
        ok.next("connection");
        h.onText("{\"type\":\"emit\",\"id\":\"1\",\"event\":\"two\",\"data\":{}}");
        JsonNode both = ok.next("event");
        assertEquals("both", both.path("event").asText());
        assertEquals("[1,\"b\"]", both.path("data").toString());
        assertEquals("first", ok.next("ack").path("data").asText());
        h.onText("{\"type\":\"emit\",\"id\":\"2\",\"event\":\"nobody\"}");
        assertEquals("unknown_event", ok.next("error").path("code").asText());
        assertEquals(List.of("two/1", "nobody/0"), any);

        RecordingTransport banned = new RecordingTransport(new Handshake("/ws", Map.of(),
                Map.of("banned", List.of("1")), "127.0.0.1"));
        hub.connect(banned, Protocol.NATIVE);
        assertEquals("forbidden", banned.next("error").path("code").asText());
    }

    @Test
    void applicationEventsCannotPoseAsClusterControlMessages() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> hub.emitToRoom("lobby", "\u0000ctl", Map.of("op", "DISCONNECT")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> hub.broadcastToAll("\u0000ctl-reply", Map.of()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> hub.namespace("/api").to("lobby").emit("\u0000ctl", Map.of()));
    }
}
