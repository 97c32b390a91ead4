package dev.realtime.core;

import java.nio.ByteBuffer;

/**
 * The adapter's side of one WebSocket connection, as the hub sees it. Adapters (Jakarta, Spring, the standalone
 * server) implement it over their session type; application code never sees it.
 *
 * <p><b>Contract.</b> The hub's writer for this connection calls {@code sendText}/{@code sendBinary} one at a time
 * and waits for {@code whenDone} before sending the next frame, so implementations never see concurrent sends.
 * {@code whenDone} must be called exactly once, with {@code null} on success or the failure, on any thread
 * (possibly inline). {@code close} may be called from any thread, more than once; it must not throw.
 *
 * @since 0.1
 */
public interface Transport {

    /** What the client sent when it opened the connection. */
    Handshake handshake();

    /** Sends one text frame asynchronously. */
    void sendText(String text, SendCallback whenDone);

    /** Sends one binary frame asynchronously. */
    void sendBinary(ByteBuffer data, SendCallback whenDone);

    /**
     * Whether {@link #sendWire} may be used: the adapter can write bytes the hub framed itself (complete, unmasked
     * RFC 6455 server frames) straight to the connection, because no extension (such as permessage-deflate) was
     * negotiated and the container lets it. The hub then encodes each event's frame once for all recipients and
     * writes several queued frames of a connection in one write. Asked once per connection; the default is
     * {@code false}.
     *
     * @since 0.2
     */
    default boolean acceptsWire() {
        return false;
    }

    /**
     * Writes one or more complete, already encoded WebSocket frames as one write, asynchronously; only called when
     * {@link #acceptsWire()} is true, under the same one-at-a-time contract as the other sends. The array is shared
     * with the other recipients of the same event and must not be modified; it is a plain array, not a buffer, so a
     * fan-out hands every recipient the same object and allocates no per-recipient view.
     *
     * @since 0.2
     */
    default void sendWire(byte[] frames, SendCallback whenDone) {
        whenDone.done(new UnsupportedOperationException("this transport does not take wire frames"));
    }

    /**
     * Writes the frames {@code frames[0..count)} (each one or more complete, encoded frames, shared and never to be
     * modified) as one write, in order; otherwise as {@link #sendWire(byte[], SendCallback)}. An adapter that can
     * gather them without a copy per write overrides it; the default joins them into one array. The adapter must not
     * keep {@code frames} itself after {@code whenDone}.
     *
     * @since 0.2
     */
    default void sendWire(byte[][] frames, int count, SendCallback whenDone) {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += frames[i].length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            System.arraycopy(frames[i], 0, all, at, frames[i].length);
            at += frames[i].length;
        }
        sendWire(all, whenDone);
    }

    /** Closes the connection with a WebSocket close code and reason (reason at most 123 bytes of UTF-8). */
    void close(int code, String reason);

    /** Completion of one send. */
    @FunctionalInterface
    interface SendCallback {
        /** @param failure {@code null} on success */
        void done(Throwable failure);
    }
}
