package dev.realtime.core;

/**
 * A Socket.IO namespace ({@code /jobs}, {@code /chat}, ...) served by the hub, obtained from
 * {@link RealtimeHub#namespace(String)}. The default namespace {@code /} shares its handlers and application rooms
 * with the native protocol. Application rooms are per namespace (see {@link Client}); streams are hub-wide.
 *
 * <p>Thread-safe. Register handlers before clients connect; handlers may be removed at any time.
 *
 * <p><b>Threads.</b> Middlewares, connect listeners, event handlers and {@link AnyListener}s of one connection run
 * one after the other on its serial executor over the hub's handler pool, in the order the client's packets
 * arrived. Disconnect listeners run on the thread that saw the disconnect (transport, scheduler or handler
 * thread) and must be quick.
 *
 * @since 0.1
 */
public interface Namespace {

    /** The namespace name, starting with {@code /}. */
    String name();

    /**
     * Registers the handler for an event. The handler receives the event's first argument converted to
     * {@code payloadType}; its return value is the acknowledgement when the client asked for one.
     *
     * @throws IllegalStateException when the event already has a handler
     */
    <T> Namespace on(String event, Class<T> payloadType, EventHandler<T> handler);

    /** Registers a handler that sees all of the event's arguments. */
    Namespace on(String event, EventListener listener);

    /** Removes the event's handler; events without a handler then reach only {@link AnyListener}s. */
    Namespace off(String event);

    /**
     * Adds a listener for every inbound event, with or without a handler. An event without a handler that asks
     * for an acknowledgement gets none (as in Socket.IO, the client's ack timeout fires).
     *
     * @return removes the listener
     */
    Runnable onAny(AnyListener listener);

    /** Adds a connect middleware; middlewares run in order before the connect listeners and may reject. */
    Namespace use(Middleware middleware);

    /** Called when a socket connects (and again when it recovers); may reject it. */
    Namespace onConnect(ConnectListener listener);

    /** Called once when a socket leaves the namespace, with the reason. */
    Namespace onDisconnect(DisconnectListener listener);

    /** Selects the sockets of this namespace in these application rooms (none: every socket). */
    BroadcastOperator to(String... rooms);

    /** Same as {@link #to}. */
    default BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** Every socket of this namespace except those in these rooms. */
    default BroadcastOperator except(String... rooms) {
        return to().except(rooms);
    }

    /** Every socket of this namespace on this node only. */
    default BroadcastOperator local() {
        return to().local();
    }

    /** Sends an event to every socket of this namespace, on every node. */
    default PublishResult emit(String event, Object data) {
        return to().emit(event, data);
    }

    /**
     * Decides whether a socket may connect to a namespace, and greets it. Throwing {@link RealtimeException}
     * rejects the connection with a Socket.IO CONNECT_ERROR carrying the message and {@code {"code": ...}} (or the
     * exception's {@link RealtimeException#data()}).
     *
     * @since 0.1
     */
    @FunctionalInterface
    interface ConnectListener {
        /**
         * @param auth      the CONNECT auth payload (an empty object when none)
         * @param recovered whether this connect restored a previous session
         */
        void onConnect(Client socket, com.fasterxml.jackson.databind.JsonNode auth, boolean recovered);
    }

    /**
     * Told when a socket leaves the namespace.
     *
     * @since 0.2
     */
    @FunctionalInterface
    interface DisconnectListener {
        void onDisconnect(Client socket, DisconnectReason reason);
    }
}
