package dev.realtime.core;

/**
 * Engine.IO v4 HTTP long-polling for a hub's Socket.IO endpoint, obtained from {@link RealtimeHub#polling()}.
 * Adapters pass every plain HTTP request to the Socket.IO path (anything that is not a WebSocket upgrade) to
 * {@link #handle}; the core answers it: handshake, long-polling GET (one waiting GET per session), POST of client
 * packets ({@code maxPayload} bytes at most, else 413), CORS (the hub's allowed origins, with credentials) and
 * Engine.IO's 400 errors. A WebSocket upgrade of a polling session reaches the hub through
 * {@link RealtimeHub#connect} as usual: the {@code sid} in its query joins it to the session.
 *
 * <p><b>Thread-safety.</b> {@link #handle} may be called concurrently from any number of container threads; it
 * never blocks on the network apart from reading a POST body through {@link PollingExchange#readBody}.
 *
 * @since 0.2
 */
public interface EngineIoPolling {

    /** Answers one plain HTTP request to the Socket.IO path, now or later through {@link PollingExchange#respond}. */
    void handle(PollingExchange exchange);

    /** Polling sessions open on this node (not yet upgraded to WebSocket, not closed). */
    int pollingSessions();

    /** Long-polling GETs currently held open, waiting for packets. */
    int waitingRequests();
}
