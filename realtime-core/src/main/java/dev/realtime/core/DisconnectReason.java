package dev.realtime.core;

/**
 * Why a client went away, named as Socket.IO's server names it ({@link #wire()}), given to
 * {@link Namespace#onDisconnect} listeners.
 *
 * @since 0.2
 */
public enum DisconnectReason {
    /** The client left the namespace (Socket.IO {@code socket.disconnect()}). */
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
    /** The server removed the socket from the namespace ({@link Client#disconnect()}). */
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),
    /** The client closed the connection, or the connection was lost. */
    TRANSPORT_CLOSE("transport close"),
    /** The transport failed. */
    TRANSPORT_ERROR("transport error"),
    /** The client stopped answering heartbeats. */
    PING_TIMEOUT("ping timeout"),
    /** The client broke the protocol (a malformed or oversized packet). */
    PARSE_ERROR("parse error"),
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN("server shutting down"),
    /** The server closed the connection (application close, slow consumer, expired token, abuse). */
    FORCED_CLOSE("forced close");

    private final String wire;

    DisconnectReason(String wire) {
        this.wire = wire;
    }

    /** Socket.IO's name for the reason, e.g. {@code "ping timeout"}. */
    public String wire() {
        return wire;
    }
}
