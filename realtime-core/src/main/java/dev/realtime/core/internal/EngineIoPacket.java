package dev.realtime.core.internal;

import dev.realtime.core.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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

    /** A polling payload of {@code packets}, followed by the close packet when {@code close}. */
    static String payload(List<EngineIoPacket> packets, boolean close) {
        List<String> encoded = new ArrayList<>(packets.size() + 1);
        for (EngineIoPacket p : packets) {
            encoded.add(p.encoded());
        }
        if (close) {
            encoded.add("1");
        }
        return EngineIoPayload.encode(encoded);
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
