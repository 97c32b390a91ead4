package dev.realtime.jakarta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.socketio.RawTcpWebSocket;
import dev.realtime.jakarta.socketio.RawTcpWebSocket.Conn;
import dev.realtime.jakarta.socketio.RawTcpWebSocket.Frame;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames queued for one connection while it is busy are written together (joined in the connection's reused
 * buffer up to 2 KiB, in an array of their own above): a burst of events of mixed sizes, 5 B to 4 KB, published
 * faster than one connection is written, arrives whole and in order, read byte by byte off the socket.
 */
@Timeout(60)
class WireBatchesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] SIZES = {5, 300, 1_500, 4_000, 40, 900};

    @Test
    void aBurstOfMixedSizesArrivesWholeAndInOrder() throws Exception {
        try (RealtimeHub hub = RealtimeHub.builder().build();
                RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build()) {
            int port = server.start();
            try (Conn c = Conn.open(port, "/ws")) {
                assertTrue(text(c.readNonPing()).contains("\"connection\""));
                c.write(RawTcpWebSocket.frame(0x1,
                        "{\"type\":\"subscribe\",\"room\":\"job:b\"}".getBytes(StandardCharsets.UTF_8)));
                assertTrue(text(c.readNonPing()).contains("\"subscribed\""));
                int n = 600;
                for (int i = 0; i < n; i++) {
                    hub.jobs().update("b", "step", Map.of("i", i, "s", payload(i)));
                }
                for (int i = 0; i < n; i++) {
                    JsonNode e = JSON.readTree(text(c.readNonPing()));
                    JsonNode data = e.findValue("s");
                    assertNotNull(data, e.toString());
                    assertEquals(i, e.findValue("i").asInt(), "event " + i + " in order");
                    assertEquals(payload(i), data.asText(), "event " + i + " whole");
                }
            }
        }
    }

    private static String payload(int i) {
        char ch = (char) ('a' + i % 26);
        return String.valueOf(ch).repeat(SIZES[i % SIZES.length]);
    }

    private static String text(Frame f) {
        assertNotNull(f, "a frame");
        assertEquals(0x1, f.opcode(), "a text frame");
        return new String(f.payload(), StandardCharsets.UTF_8);
    }
}
