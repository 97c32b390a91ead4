package dev.realtime.core;

/**
 * A Socket.IO namespace ({@code /jobs}, {@code /quiz}, ...) served by the hub. Obtained from
 * {@link RealtimeHub#namespace(String)}; the default namespace {@code /} shares its handlers with the native
 * protocol's {@code emit}. Rooms are hub-wide: an event published once reaches native clients and the sockets of
 * every namespace that joined the room.
 *
 * <p>Thread-safe. Register handlers before clients connect.
 *
 * @since 0.1
 */
public interface Namespace {

    /** The namespace name, starting with {@code /}. */
    String name();

    /**
     * Registers the handler for an event. The handler receives the event's first argument converted to
     * {@code payloadType}; its return value is the acknowledgement when the client asked for one.
     */
    <T> Namespace on(String event, Class<T> payloadType, EventHandler<T> handler);

    /** Called when a socket connects (and again when it recovers); may reject it. */
    Namespace onConnect(ConnectListener listener);

    /**
     * Decides whether a socket may connect to a namespace, and greets it. Throwing {@link RealtimeException}
     * rejects the connection with a Socket.IO CONNECT_ERROR carrying the message and {@code {"code": ...}}.
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
}
