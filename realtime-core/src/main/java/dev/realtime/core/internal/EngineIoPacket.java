package dev.realtime.core.internal;

import dev.realtime.core.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One packet buffered by an {@link EngineIoTransport}: text or binary, its size in chars or bytes, and the send
 * callback to complete once a GET or the upgraded WebSocket took it (null when it was completed at once).
 *
 * <p>Immutable; the static helpers are stateless. Thread-safety of the buffer holding packets is the transport's.
 */
record EngineIoPacket(String text, ByteBuffer binary, Transport.SendCallback whenDone, int size) {

    /** The packet as it goes into a polling payload (binary as {@code b<base64>}). */
    String encoded() {
        return text != null ? text : EngineIoPayload.binary(binary);
    }

    /**
     * A polling payload of {@code packets}, followed by the close packet when {@code close}, as UTF-8 bytes: the
     * packets' texts joined by the record separator. One packet (the common poll answer) is one encode, no join.
     */
    static byte[] payload(List<EngineIoPacket> packets, boolean close) {
        int n = packets.size();
        if (n == 1 && !close) {
            return packets.get(0).encoded().getBytes(StandardCharsets.UTF_8);
        }
        byte[][] parts = new byte[n + (close ? 1 : 0)][];
        int length = Math.max(0, parts.length - 1); // the separators
        for (int i = 0; i < n; i++) {
            parts[i] = packets.get(i).encoded().getBytes(StandardCharsets.UTF_8);
            length += parts[i].length;
        }
        if (close) {
            parts[n] = new byte[] {'1'};
            length += 1;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out[at++] = (byte) EngineIoPayload.SEPARATOR;
            }
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
        }
        return out;
    }

    /** Completes the callbacks still held by {@code packets}, successfully. */
    static void completeAll(List<EngineIoPacket> packets) {
        for (EngineIoPacket p : packets) {
            if (p.whenDone != null) {
                p.whenDone.done(null);
            }
        }
    }
}
