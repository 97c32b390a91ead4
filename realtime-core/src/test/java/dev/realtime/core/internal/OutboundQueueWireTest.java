package dev.realtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.Handshake;
import dev.realtime.core.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wire mode of a connection's queue: a lone frame is written as the event's shared bytes (the same array for
 * every recipient), frames that waited behind a write go out together in one write, in order, up to the batch
 * bound, and attachments follow their text frame.
 */
class OutboundQueueWireTest {

    /** A transport that takes wire frames and completes each write only when the test says so. */
    private static final class WireTransport implements Transport {
        final List<byte[]> writes = new ArrayList<>();
        final List<SendCallback> callbacks = new ArrayList<>();

        @Override
        public Handshake handshake() {
            return new Handshake("/ws", Map.of(), Map.of(), "127.0.0.1");
        }

        @Override
        public void sendText(String text, SendCallback whenDone) {
            throw new AssertionError("wire mode must not send text: " + text);
        }

        @Override
        public void sendBinary(ByteBuffer data, SendCallback whenDone) {
            throw new AssertionError("wire mode must not send binaries");
        }

        @Override
        public boolean acceptsWire() {
            return true;
        }

        @Override
        public void sendWire(byte[] frames, SendCallback whenDone) {
            writes.add(frames);
            callbacks.add(whenDone);
        }

        @Override
        public void close(int code, String reason) {
        }

        void completeLast() {
            callbacks.get(callbacks.size() - 1).done(null);
        }
    }

    /** Counts what the queue reports. */
    private static final class Counts implements OutboundQueue.Owner {
        int sent;

        @Override
        public void sent(int frames) {
            sent += frames;
        }

        @Override
        public void conflated() {
        }

        @Override
        public void overflow(String reason) {
            // the queues here stay far below their bounds
        }

        @Override
        public void sendFailed(Throwable failure) {
            throw new AssertionError(failure);
        }
    }

    private static OutboundQueue queue(WireTransport t, Counts owner, WireFrames wire) {
        return new OutboundQueue(t, owner, 1_000, 1 << 20, 16, null, wire);
    }

    private static byte[] textFrame(String text) {
        return WireFrames.frame((byte) 0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aLoneFrameIsTheSameSharedArrayForEveryRecipient() {
        WireFrames wire = new WireFrames();
        Frame event = Frame.text("{\"type\":\"event\",\"event\":\"job:progress\",\"data\":{\"p\":1}}", "k");
        WireTransport a = new WireTransport();
        WireTransport b = new WireTransport();
        Counts ca = new Counts();
        Counts cb = new Counts();
        queue(a, ca, wire).offer(event);
        queue(b, cb, wire).offer(event);

        assertEquals(1, a.writes.size());
        assertEquals(1, b.writes.size());
        assertSame(a.writes.get(0), b.writes.get(0), "one encoding per event, shared by its recipients");
        assertArrayEquals(textFrame(event.text()), a.writes.get(0));
        a.completeLast();
        b.completeLast();
        assertEquals(1, ca.sent);
        assertEquals(1, cb.sent);
    }

    @Test
    void framesThatWaitedBehindAWriteGoOutTogetherInOrder() {
        WireTransport t = new WireTransport();
        Counts owner = new Counts();
        OutboundQueue q = queue(t, owner, new WireFrames());
        q.offer(Frame.text("one"));
        q.offer(Frame.text("two"));
        q.offer(Frame.text("three"));
        assertEquals(1, t.writes.size(), "one write in flight at a time");

        t.completeLast();
        assertEquals(2, t.writes.size());
        assertArrayEquals(concat(textFrame("two"), textFrame("three")), t.writes.get(1));
        t.completeLast();
        assertEquals(3, owner.sent);
        assertEquals(0, q.size());
    }

    @Test
    void aBatchStopsAtTheByteBoundAndALargeFrameGoesAlone() {
        WireTransport t = new WireTransport();
        Counts owner = new Counts();
        OutboundQueue q = queue(t, owner, new WireFrames());
        String tenK = "x".repeat(10 * 1024);
        String large = "y".repeat(OutboundQueue.BATCH_BYTES + 1);
        q.offer(Frame.text("first"));
        for (int i = 0; i < 4; i++) {
            q.offer(Frame.text(tenK + i));
        }
        q.offer(Frame.text(large));
        q.offer(Frame.text("last"));

        List<Integer> framesPerWrite = new ArrayList<>();
        int previous = 0;
        while (t.writes.size() > framesPerWrite.size()) {
            t.completeLast();
            framesPerWrite.add(owner.sent - previous);
            previous = owner.sent;
        }
        // "first" alone (in flight when the rest arrived); three 10 KB frames fit under 32 KB, the fourth starts
        // the next write, the large frame cannot join it and goes alone, then "last"
        assertEquals(List.of(1, 3, 1, 1, 1), framesPerWrite);
        assertArrayEquals(textFrame(large), t.writes.get(3));
        assertArrayEquals(textFrame("last"), t.writes.get(4));
        for (byte[] w : t.writes) {
            assertTrue(w.length <= OutboundQueue.BATCH_BYTES || w.length == textFrame(large).length,
                    "a write of " + w.length + " bytes");
        }
    }

    @Test
    void attachmentsFollowTheirTextFrameInTheSameWrite() {
        WireTransport t = new WireTransport();
        Counts owner = new Counts();
        OutboundQueue q = queue(t, owner, new WireFrames());
        byte[] audio = {1, 2, 3, 4, 5};
        q.offer(new Frame("451-[\"audio:received\",{\"_placeholder\":true,\"num\":0}]",
                List.of(ByteBuffer.wrap(audio)), null));

        assertEquals(1, t.writes.size());
        assertArrayEquals(concat(textFrame("451-[\"audio:received\",{\"_placeholder\":true,\"num\":0}]"),
                WireFrames.frame((byte) 0x82, audio)), t.writes.get(0));
        t.completeLast();
        assertEquals(2, owner.sent, "a text frame and its attachment are two frames");
    }
}
