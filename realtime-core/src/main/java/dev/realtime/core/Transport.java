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

    /** Closes the connection with a WebSocket close code and reason (reason at most 123 bytes of UTF-8). */
    void close(int code, String reason);

    /** Completion of one send. */
    @FunctionalInterface
    interface SendCallback {
        /** @param failure {@code null} on success */
        void done(Throwable failure);
    }
}
