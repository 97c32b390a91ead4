package dev.realtime.jakarta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.jakarta.socketio.RawTcpWebSocket;
import java.io.ByteArrayOutputStream;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.Test;

class FrameScannerTest {
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;

    @Test
    void framesWithinTheLimitPassAndAnUnmaskedFrameIsReported() {
        FrameScanner s = new FrameScanner(10);
        assertEquals(FrameScanner.OK, s.scan(wrap(frame(true, TEXT, 10), frame(true, TEXT, 3))));
        assertFalse(s.draining());
        assertEquals(FrameScanner.UNMASKED, new FrameScanner(10).scan(wrap(new byte[] {(byte) 0x81, 0x01, 'x'})));
    }

    @Test
    void theFrameThatTakesAFragmentedMessagePastTheLimitIsCutAtItsHeader() {
        byte[] first = frame(false, TEXT, 6);
        byte[] ping = frame(true, PING, 4); // control frames do not count
        byte[] second = frame(false, CONTINUATION, 4);
        byte[] third = frame(true, CONTINUATION, 1);
        FrameScanner s = new FrameScanner(10);
        Buffer b = wrap(first, ping, second, third);
        assertEquals(first.length + ping.length + second.length, s.scan(b));
        assertTrue(s.draining());
        assertEquals(0, b.position(), "the buffer is not moved");
    }

    @Test
    void aNewMessageStartsTheCountAgain() {
        FrameScanner s = new FrameScanner(10);
        assertEquals(FrameScanner.OK, s.scan(wrap(frame(true, TEXT, 8), frame(true, TEXT, 8), frame(false, TEXT, 2),
                frame(true, CONTINUATION, 8))));
        assertFalse(s.draining());
    }

    @Test
    void aHeaderSplitAcrossReadsIsCutAtTheStartOfTheLaterRead() {
        byte[] ok = frame(true, TEXT, 2);
        byte[] big = RawTcpWebSocket.header(true, TEXT, 70_000); // 2 + 8 + 4 header bytes
        FrameScanner s = new FrameScanner(65_536);
        assertEquals(FrameScanner.OK, s.scan(wrap(ok, slice(big, 0, 5))));
        Buffer rest = wrap(slice(big, 5, big.length), new byte[100]);
        rest.position(0);
        assertEquals(0, s.scan(rest));
        assertTrue(s.draining());
    }

    @Test
    void aForgedLengthCountsAsTooLarge() {
        byte[] h = RawTcpWebSocket.header(true, TEXT, 70_000);
        h[2] = (byte) 0x80; // length with the top bit set: negative as a long
        FrameScanner s = new FrameScanner(1_000_000);
        assertEquals(0, s.scan(wrap(h)));
    }

    @Test
    void whileDrainingTheClientsCloseIsSeenOnlyOnceItsPayloadIsRead() {
        FrameScanner s = new FrameScanner(4);
        byte[] big = frame(true, TEXT, 20);
        byte[] close = frame(true, CLOSE, 2);
        assertEquals(0, s.scan(wrap(slice(big, 0, 9))));
        assertEquals(FrameScanner.OK, s.scan(wrap(slice(big, 9, big.length), slice(close, 0, close.length - 1))));
        assertFalse(s.closeSeen(), "one byte of the close payload is still to come");
        assertEquals(FrameScanner.OK, s.scan(wrap(slice(close, close.length - 1, close.length))));
        assertTrue(s.closeSeen());
    }

    @Test
    void withoutALimitNothingIsCut() {
        FrameScanner s = new FrameScanner(0);
        assertEquals(FrameScanner.OK, s.scan(wrap(frame(true, TEXT, 5000))));
        assertFalse(s.draining());
    }

    private static byte[] frame(boolean fin, int opcode, int length) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(RawTcpWebSocket.header(fin, opcode, length));
        f.writeBytes(new byte[length]);
        return f.toByteArray();
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static Buffer wrap(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, all.toByteArray());
    }
}
