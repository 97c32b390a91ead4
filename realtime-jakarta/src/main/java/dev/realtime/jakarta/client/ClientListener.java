package dev.realtime.jakarta.client;

/**
 * Connection lifecycle callbacks of a {@link RealtimeClient}; every method does nothing by default. Called on the
 * client's event thread, in order with events; must not block for long.
 *
 * @since 0.1
 */
public interface ClientListener {

    /**
     * The server greeted the client. Rooms are being re-subscribed (with their last offsets) at this point.
     *
     * @param clientId  the server's id for this connection
     * @param reconnect {@code false} for the first connection, {@code true} afterwards
     */
    default void onConnected(String clientId, boolean reconnect) {
    }

    /**
     * The connection was lost or closed by the server.
     *
     * @param willReconnect whether a reconnect is scheduled
     */
    default void onDisconnected(int code, String reason, boolean willReconnect) {
    }

    /**
     * A resume could not be served gap-free ({@code recovered:false}): history no longer reaches back to the
     * client's offset. The room's latest event (its current state) follows; reload anything derived from it.
     *
     * @param offset the stream's current top
     */
    default void onGap(String room, String epoch, long offset) {
    }

    /** An error frame not tied to a pending request, or the client giving up reconnecting. */
    default void onError(RealtimeClientException error) {
    }
}
