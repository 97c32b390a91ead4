package dev.realtime.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.history.StreamPosition;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;

/**
 * A connected client as application code sees it, whatever its protocol (native JSON, or one Socket.IO namespace
 * socket) and whatever its adapter. Handlers receive it; it never exposes the transport.
 *
 * <p><b>Rooms.</b> {@link #join} enters an <em>application room</em>: no history, no authorization check, scoped to
 * the client's namespace ({@code /chat}'s "lobby" and {@code /admin}'s "lobby" are two rooms; the default
 * namespace {@code /} and native clients share theirs). {@link #subscribe} enters a <em>stream</em>: authorized by
 * the hub's room rules, with history and resume, hub-wide (a job's room reaches its subscribers on every protocol
 * and namespace).
 *
 * <p>Thread-safe. {@link #emit} and {@link #join} never block on the network; emits go through the connection's
 * bounded send queue. After the connection closes, emits return {@code false} and {@link #isOpen()} is
 * {@code false}.
 *
 * @since 0.1
 */
public interface Client {

    /** Connection id, unique within the cluster, e.g. {@code c-17}; the Socket.IO socket id for Socket.IO clients. */
    String id();

    /** The namespace this client is connected to; {@code /} for native clients. */
    default String namespace() {
        return "/";
    }

    /** The authenticated user id, when an authenticator identified one. */
    Optional<String> userId();

    /**
     * The authenticated principal (user id, roles, verified claims) when the hub has an authenticator, for
     * application rules that need roles or claims, such as a room rule given to
     * {@link RealtimeHub.Builder#allowRooms}. Empty in development mode (no authenticator).
     *
     * @since 0.2
     */
    default Optional<dev.realtime.core.security.Principal> principal() {
        return Optional.empty();
    }

    /** The upgrade request. */
    Handshake handshake();

    /** The Socket.IO CONNECT auth payload (an empty object when none, and for native clients). */
    default JsonNode auth() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    /**
     * Per-socket data for the application (Socket.IO's {@code socket.data}), e.g. filled by a middleware. Lives as
     * long as the socket; {@link BroadcastOperator#fetchSockets()} returns it serialized as JSON.
     */
    ConcurrentMap<String, Object> data();

    /** Rooms this client is in (application rooms and streams), as the application named them. */
    Set<String> rooms();

    /**
     * Sends an event to this client only; {@code data} is serialized with the hub's mapper. With Socket.IO
     * connection state recovery on, the event carries a recovery offset, so it is replayed after a transport cut.
     *
     * @return whether it was queued ({@code false}: closed, or the send queue is full)
     */
    boolean emit(String event, Object data);

    /**
     * Sends an event with any number of arguments (none: {@code emit("ping")}). Native clients receive one
     * {@code data}: nothing, the single argument, or an array of them.
     *
     * @return whether it was queued
     */
    default boolean emit(String event, Object... args) {
        return emit(event, args.length == 1 ? args[0] : java.util.Arrays.asList(args));
    }

    /**
     * Sends an event and waits for the client's acknowledgement (Socket.IO emit with ack). The future completes
     * with the ack's arguments as a JSON array, fails with {@link RealtimeException} ({@code unavailable}) on
     * disconnect and with a {@link java.util.concurrent.TimeoutException} after {@code timeout}. The native
     * protocol has no server-side acknowledgements: there the future fails at once with {@code bad_request}.
     */
    default CompletableFuture<JsonNode> emitWithAck(String event, Object data, Duration timeout) {
        return CompletableFuture.failedFuture(new RealtimeException(ErrorCode.BAD_REQUEST,
                "this protocol has no acknowledgements from client to server-sent events"));
    }

    /** As {@link #emitWithAck(String, Object, Duration)} with any number of arguments; completes with the ack's. */
    default CompletableFuture<Arguments> emitWithAck(Duration timeout, String event, Object... args) {
        return CompletableFuture.failedFuture(new RealtimeException(ErrorCode.BAD_REQUEST,
                "this protocol has no acknowledgements from client to server-sent events"));
    }

    /** Joins an application room of this client's namespace (no history, no authorization check). */
    void join(String room);

    /** Leaves a room (application room or stream); no effect if not a member. */
    void leave(String room);

    /**
     * Subscribes to a stream the way a client's own subscribe does: the hub's room rules authorize it, and with a
     * position the events after it are replayed before live ones, gap-free ({@code recovered:false} with the
     * latest event when the history cannot reach back). Native clients are sent their {@code subscribed} frame.
     *
     * @param since the position the client holds, or {@code null} to start live from now
     * @throws RealtimeException {@code forbidden} when the rules refuse, {@code rate_limited} over the room limit
     */
    SubscribeResult subscribe(String room, StreamPosition since);

    /**
     * Runs {@code listener} once when this client goes away (connection closed, or a Socket.IO namespace
     * disconnect); at once if it already has. Listeners run on a transport or scheduler thread and must be quick.
     *
     * @return removes the listener (for work that finished first)
     */
    Runnable onClose(Runnable listener);

    /** Whether the connection is still open. */
    boolean isOpen();

    /**
     * Removes this socket from its namespace (Socket.IO DISCONNECT, reason {@code server namespace disconnect}),
     * keeping the connection's other namespaces. For native clients it closes the connection.
     */
    default void disconnect() {
        close(1000, "server namespace disconnect");
    }

    /** Closes the whole connection with a WebSocket close code. */
    void close(int code, String reason);
}
