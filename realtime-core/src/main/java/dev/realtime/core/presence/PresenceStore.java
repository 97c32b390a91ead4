package dev.realtime.core.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Who is in a room, deduplicated per user across tabs (connections) and nodes. A user is present in a room while
 * at least one of their connections in it is alive; each connection entry lives for the store's TTL and is kept
 * alive by {@link #refresh}, so the entries of a crashed node expire by themselves.
 *
 * <p><b>Contract.</b> {@link #join} answers whether this is the user's first live connection in the room (the
 * moment to announce "user joined"); {@link #leave} answers whether it was the user's last one (announce "user
 * left"). Joining twice with the same connection is idempotent and refreshes it. Expired connections count as
 * gone everywhere. Every node sharing the backend sees the same answers.
 *
 * <p><b>Thread-safety.</b> Implementations are safe for concurrent use. Methods may block on I/O (a Redis store
 * does) and throw {@link dev.realtime.core.StoreException} when the backend is unavailable.
 *
 * <p><b>Lifecycle.</b> {@link #close} releases what the store owns; the default does nothing.
 *
 * @since 0.1
 */
public interface PresenceStore extends AutoCloseable {

    /**
     * Records that {@code connectionId} of {@code userId} is in {@code room}.
     *
     * @return {@code true} when the user had no other live connection in the room
     */
    boolean join(String room, String userId, String connectionId);

    /**
     * Removes {@code connectionId} of {@code userId} from {@code room}.
     *
     * @return {@code true} when the connection was present and the user has no live connection left in the room
     */
    boolean leave(String room, String userId, String connectionId);

    /** The users with at least one live connection in {@code room}; empty for an unknown room. */
    Set<String> members(String room);

    /** Heartbeat: extends the TTL of every room entry of these connections. Unknown ids are ignored. */
    void refresh(Collection<String> connectionIds);

    /** Heartbeat for a few connections; see {@link #refresh(Collection)}. */
    default void refresh(String... connectionIds) {
        refresh(List.of(connectionIds));
    }

    @Override
    default void close() {
    }

    /** A store in this JVM whose connection entries live {@code ttl} after their last join or refresh. */
    static PresenceStore inMemory(Duration ttl, Clock clock) {
        return new InMemoryPresenceStore(ttl, clock);
    }
}
