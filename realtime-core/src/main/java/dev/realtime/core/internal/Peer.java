package dev.realtime.core.internal;

import dev.realtime.core.Client;
import dev.realtime.core.history.StreamPosition;

/**
 * A receiver of room events: a native connection, or one namespace socket of a Socket.IO connection. Rooms hold
 * {@link Subscription}s of peers. Implementations encode with their protocol's encoder (cached per event).
 */
public interface Peer extends Client {

    /** The connection this peer lives on. */
    RealConnection connection();

    @Override
    default java.util.Optional<dev.realtime.core.security.Principal> principal() {
        return java.util.Optional.ofNullable(connection().principal);
    }

    /** Encodes and queues an event that arrived through {@code room}. */
    void send(OutboundEvent event, String room);

    /**
     * Tells the client a subscribe succeeded; called before any replayed event is sent.
     *
     * @param requestId the client's request id, or null
     */
    void subscribed(String requestId, String room, StreamPosition position, Boolean recovered);

    /** Whether this peer is in the room with this internal key (an application room key or a stream). */
    boolean inRoom(String key);
}
