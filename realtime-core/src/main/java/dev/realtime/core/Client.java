package dev.realtime.core;

import java.util.Optional;
import java.util.Set;

/**
 * A connected client as application code sees it, whatever its protocol (native JSON, or one Socket.IO namespace
 * socket) and whatever its adapter. Handlers receive it; it never exposes the transport.
 *
 * <p>Thread-safe. {@link #emit} and {@link #join} never block; emits go through the connection's bounded send
 * queue. After the connection closes, emits are silently dropped and {@link #isOpen()} is {@code false}.
 *
 * @since 0.1
 */
public interface Client {

    /** Connection id, unique within the hub, e.g. {@code c-17}; the Socket.IO socket id for Socket.IO clients. */
    String id();

    /** The authenticated user id, when an authenticator identified one. */
    Optional<String> userId();

    /** The upgrade request. */
    Handshake handshake();

    /** Rooms this client is in. */
    Set<String> rooms();

    /** Sends an event to this client only; {@code data} is serialized with the hub's Jackson mapper. */
    void emit(String event, Object data);

    /**
     * Sends an event and waits for the client's acknowledgement (Socket.IO emit with ack). The future fails with
     * {@link RealtimeException} ({@code unavailable}) on disconnect and with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}. The native protocol has no server-side
     * acknowledgements: there the future fails at once with {@code bad_request}.
     */
    default java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.JsonNode> emitWithAck(
            String event, Object data, java.time.Duration timeout) {
        return java.util.concurrent.CompletableFuture.failedFuture(new RealtimeException(ErrorCode.BAD_REQUEST,
                "this protocol has no acknowledgements from client to server-sent events"));
    }

    /** Joins a room without history (an application room); no authorization check. */
    void join(String room);

    /** Leaves a room; no effect if not a member. */
    void leave(String room);

    /**
     * Runs {@code listener} once when this client goes away (connection closed, or a Socket.IO namespace
     * disconnect); at once if it already has. Listeners run on a transport or scheduler thread and must be quick.
     *
     * @return removes the listener (for work that finished first)
     */
    Runnable onClose(Runnable listener);

    /** Whether the connection is still open. */
    boolean isOpen();

    /** Closes the whole connection with a WebSocket close code. */
    void close(int code, String reason);
}
