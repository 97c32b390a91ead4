package dev.realtime.core;

/**
 * The wire protocol spoken on a connection. Adapters pick it from the request path.
 *
 * @since 0.1
 */
public enum Protocol {
    /** The native JSON protocol on a plain WebSocket (path {@code /ws}). */
    NATIVE,
    /** Socket.IO v4 (Engine.IO v4 over WebSocket, path {@code /socket.io/}). */
    SOCKET_IO
}
