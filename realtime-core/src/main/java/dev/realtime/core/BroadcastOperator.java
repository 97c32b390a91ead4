package dev.realtime.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Selects sockets for one emit or socket operation (Socket.IO's {@code io.to(room).except(other).emit(...)}).
 * Obtained from {@link Namespace#to} (application rooms of that namespace) or {@link RealtimeHub#to} (hub-wide
 * rooms: job and user streams, reachable from every protocol). Each call returns a new operator; operators are
 * immutable and thread-safe, and cheap to make per emit.
 *
 * <p>Unless {@link #local()} is set, everything reaches every node through the hub's broker.
 *
 * @since 0.2
 */
public interface BroadcastOperator {

    /** Adds target rooms; a socket in several receives the event once. No room at all means every socket. */
    BroadcastOperator to(String... rooms);

    /** Same as {@link #to}. */
    default BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** Leaves out the sockets in these rooms. */
    BroadcastOperator except(String... rooms);

    /** Leaves out one socket (typically the sender). */
    BroadcastOperator except(Client client);

    /** Only the sockets connected to this node. */
    BroadcastOperator local();

    /**
     * Socket.IO's {@code volatile}: the event is not stored (no history, no recovery) and a socket whose send
     * queue already holds frames skips it instead of queueing it.
     */
    BroadcastOperator volatileDelivery();

    /**
     * Sends the event. Events to history rooms are stored and get an offset (unless volatile); the payload is
     * serialized once with the hub's mapper.
     *
     * @throws StoreException when history cannot be written (nothing was delivered)
     */
    PublishResult emit(String event, Object data);

    /** The matching sockets on every node (or this one, with {@link #local()}); waits for every node to answer. */
    CompletableFuture<List<RemoteSocket>> fetchSockets();

    /** Makes the matching sockets join application rooms, on every node. */
    void socketsJoin(String... rooms);

    /** Makes the matching sockets leave rooms, on every node. */
    void socketsLeave(String... rooms);

    /**
     * Disconnects the matching sockets, on every node: from the namespace (Socket.IO DISCONNECT, reason
     * {@code server namespace disconnect}), or with {@code close} the whole connection.
     */
    void disconnectSockets(boolean close);
}
