package dev.realtime.core.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Server-to-client WebSocket frames (RFC 6455 §5.2: FIN set, no mask, no extension) encoded to the bytes on the
 * wire, for transports that {@linkplain dev.realtime.core.Transport#acceptsWire() take them}. A fan-out hands
 * the same text {@code String} to every recipient's queue; the small identity cache here turns it into bytes once
 * per event and protocol instead of once per recipient. One cache per hub, shared by its writer threads; lock-free
 * (a racing miss encodes twice, harmlessly).
 */
final class WireFrames {
    private static final int SLOTS = 64;
    private static final byte TEXT = (byte) 0x81;
    private static final byte BINARY = (byte) 0x82;

    /** A text and its frame; compared by identity. */
    private record Entry(String text, byte[] wire) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** The frame of {@code text}, from the cache when this very string was encoded recently. */
    byte[] text(String text) {
        int i = System.identityHashCode(text) & (SLOTS - 1);
        Entry e = slots.getPlain(i);
        if (e != null && e.text == text) {
            return e.wire;
        }
        byte[] wire = frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
        slots.setRelease(i, new Entry(text, wire));
        return wire;
    }

    /** The wire bytes of each of {@code batch[0..n)}, in order (shared arrays, not copies). */
    byte[][] batch(Frame[] batch, int n) {
        byte[][] parts = new byte[n][];
        for (int i = 0; i < n; i++) {
            parts[i] = encode(batch[i]);
        }
        return parts;
    }

    private static byte[] concat(byte[][] parts, int total) {
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Every part of {@code f} framed, in order, as one array. */
    byte[] encode(Frame f) {
        if (f.binaries().isEmpty()) {
            return text(f.text());
        }
        byte[][] parts = new byte[f.parts()][];
        int n = 0;
        int total = 0;
        if (f.text() != null) {
            parts[n++] = text(f.text());
            total += parts[0].length;
        }
        for (ByteBuffer b : f.binaries()) {
            ByteBuffer d = b.duplicate();
            byte[] payload = new byte[d.remaining()];
            d.get(payload);
            parts[n] = frame(BINARY, payload);
            total += parts[n++].length;
        }
        return concat(parts, total);
    }

    /** One frame: header (2, 4 or 10 bytes) and payload. */
    static byte[] frame(byte first, byte[] payload) {
        int len = payload.length;
        int header = len <= 125 ? 2 : len <= 0xFFFF ? 4 : 10;
        byte[] out = new byte[header + len];
        out[0] = first;
        if (len <= 125) {
            out[1] = (byte) len;
        } else if (len <= 0xFFFF) {
            out[1] = 126;
            out[2] = (byte) (len >>> 8);
            out[3] = (byte) len;
        } else {
            out[1] = 127;
            long l = len;
            for (int i = 0; i < 8; i++) {
                out[2 + i] = (byte) (l >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, out, header, len);
        return out;
    }
}
