package dev.realtime.jakarta.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.socketio.RawTcpWebSocket;
import dev.realtime.jakarta.socketio.RawTcpWebSocket.Conn;
import dev.realtime.jakarta.socketio.RawTcpWebSocket.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message over the limit, sent by a client that is still writing it when the server refuses it: the standalone
 * server answers with close 1009 and keeps reading (and dropping) until the client's close frame, so the client
 * reads the 1009 before the connection ends in an orderly way, with no reset. Raw TCP clients, so that the test
 * decides when each byte is written.
 */
class OversizedMessageCloseTest {
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;

    private RealtimeHub hub;
    private RealtimeServer server;
    private int port;

    @BeforeEach
    void start() {
        hub = RealtimeHub.builder().limits(Limits.defaults().withHandshakesPerIpPerSecond(100_000))
                .socketIo(SocketIoOptions.defaults().withMaxPayload(1_000)).build();
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        hub.close();
    }

    @Test
    void theClientReadsClose1009WhileStillSendingAndTheConnectionEndsWithoutAReset() throws Exception {
        try (Conn c = Conn.open(port, "/ws")) {
            assertTrue(text(c.readNonPing()).contains("\"connection\""));
            long in = hub.stats().messagesIn();
            int rooms = hub.stats().rooms();
            // a whole subscribe, then the head of a 2 MB frame, in one write: the subscribe still reaches the hub
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            first.writeBytes(RawTcpWebSocket.frame(TEXT,
                    "{\"type\":\"subscribe\",\"room\":\"job:j\"}".getBytes(StandardCharsets.UTF_8)));
            first.writeBytes(RawTcpWebSocket.header(true, TEXT, 2_000_000));
            first.writeBytes(new byte[64 * 1024]);
            c.write(first.toByteArray());
            Frame close = c.readNonPing();
            while (close != null && close.opcode() != CLOSE) {
                close = c.readNonPing(); // the hub's reply to the subscribe may come first
            }
            assertNotNull(close, "a close frame before the end of the stream");
            assertEquals(1009, close.closeCode());
            assertEquals(in + 1, hub.stats().messagesIn(), "the frame before the oversized one was handled");
            // the subscribe runs on a handler thread, and its reply, written after the close, is dropped: the client
            // cannot see the join, so wait for it here
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().rooms() > rooms);
            // the hub goes on sending to the subscribed room: none of it may follow the close frame
            long out = hub.stats().messagesOut();
            for (int i = 0; i < 3; i++) {
                hub.emitToRoom("job:j", "progress", java.util.Map.of("n", i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().messagesOut() >= out + 3);
            // the server still reads: the rest of the frame, then the client's close reply
            int left = 2_000_000 - 64 * 1024;
            for (int chunk = 128 * 1024; left > 0; left -= chunk) {
                c.write(new byte[Math.min(chunk, left)]);
            }
            c.write(RawTcpWebSocket.frame(CLOSE, new byte[] {0x03, (byte) 0xF1}));
            assertNoFrameBeforeTheEnd(c); // a reset would throw here
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
    }

    @Test
    void aClientThatNeverAnswersTheCloseIsClosedAfterTheLinger() throws Exception {
        try (Conn c = Conn.open(port, "/ws")) {
            c.socket().setSoTimeout(10_000);
            assertTrue(text(c.readNonPing()).contains("\"connection\""));
            c.write(RawTcpWebSocket.header(true, TEXT, 5_000_000));
            Frame close = c.readNonPing();
            assertEquals(1009, close.closeCode());
            assertNoFrameBeforeTheEnd(c); // not even the WebSocket layer's own close, once the linger is over
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
    }

    @Test
    void socketIoConnectionsAreHeldToMaxPayload() throws Exception {
        try (Conn c = Conn.open(port, "/socket.io/?EIO=4&transport=websocket")) {
            assertTrue(text(c.read()).startsWith("0{"), "Engine.IO open");
            ByteArrayOutputStream big = new ByteArrayOutputStream();
            big.writeBytes(RawTcpWebSocket.header(true, TEXT, 1_001));
            big.writeBytes(new byte[1_001]);
            c.write(big.toByteArray());
            Frame close = c.read();
            while (close != null && close.opcode() != CLOSE) {
                close = c.read();
            }
            assertNotNull(close);
            assertEquals(1009, close.closeCode());
            c.write(RawTcpWebSocket.frame(CLOSE, new byte[] {0x03, (byte) 0xF1}));
            assertNoFrameBeforeTheEnd(c);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
    }

    /**
     * Reads to the end of the stream after the server's close frame: no frame may follow it (RFC 6455 §5.5.1),
     * neither the hub's nor the WebSocket layer's own close.
     */
    private static void assertNoFrameBeforeTheEnd(Conn c) throws java.io.IOException {
        Frame next = c.read();
        assertNull(next, () -> "a frame after the close frame: opcode " + next.opcode() + " "
                + new String(next.payload(), StandardCharsets.UTF_8));
    }

    private static String text(Frame f) {
        assertNotNull(f, "a frame");
        return new String(f.payload(), StandardCharsets.UTF_8);
    }
}
