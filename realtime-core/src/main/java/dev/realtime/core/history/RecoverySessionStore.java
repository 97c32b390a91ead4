package dev.realtime.core.history;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;

/**
 * Keeps disconnected Socket.IO sessions for the recovery window. Shared by every node of a cluster (Redis), so a
 * client can recover on any node; in memory for a single node.
 *
 * <p>Contract: {@link #take} returns a session at most once (it is removed), and never after its TTL.
 * Thread-safe.
 *
 * @since 0.1
 */
public interface RecoverySessionStore extends AutoCloseable {

    /** Keeps {@code session} for {@code ttl}. */
    void save(RecoverySession session, Duration ttl);

    /** Removes and returns the session with this pid, if still kept. */
    Optional<RecoverySession> take(String pid);

    /**
     * Whether other nodes read this store. A shared store gets a socket's state whenever it changes (a client may
     * resume on another node before this one noticed the disconnect); a node-local one only when the socket goes,
     * as the reference Socket.IO server does, so a connected socket keeps no entry here.
     *
     * @since 0.3
     */
    default boolean sharedAcrossNodes() {
        return true;
    }

    @Override
    default void close() {
    }

    /** A single-node store: a bounded map with expiry ({@code ttl} applies to all entries). */
    static RecoverySessionStore inMemory(Duration ttl) {
        Cache<String, RecoverySession> cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(1_000_000)
                .build();
        return new RecoverySessionStore() {
            @Override
            public void save(RecoverySession session, Duration ignored) {
                cache.put(session.pid(), session);
            }

            @Override
            public Optional<RecoverySession> take(String pid) {
                return Optional.ofNullable(cache.asMap().remove(pid));
            }

            @Override
            public boolean sharedAcrossNodes() {
                return false;
            }
        };
    }
}
