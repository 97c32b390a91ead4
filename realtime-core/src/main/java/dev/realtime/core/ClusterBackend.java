package dev.realtime.core;

import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.core.history.RecoverySessionStore;
import dev.realtime.core.presence.PresenceStore;

/**
 * Everything a cluster of hubs must share, set once on the builder: {@code
 * RealtimeHub.builder().backend(RedisBackend.create("redis://redis:6379"))}. Every node behind the same load
 * balancer then knows what one node knows: job history with its owners and idempotency keys, events of every
 * node, Socket.IO recovery state and log, presence, and the connection registry.
 *
 * <p>A part set explicitly on the builder wins over the backend's. The hub closes the backend when it closes
 * (after its own parts), so a backend serves one hub; implementations share one connection pool between the
 * parts and close it in {@link #close()}.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.2
 */
public interface ClusterBackend extends AutoCloseable {

    /** History, stream owners and idempotency keys. */
    HistoryStore history();

    /** Cross-node fan-out. */
    Broker broker();

    /** The Socket.IO recovery log. */
    RecoveryLog recoveryLog();

    /** Socket.IO sessions kept for recovery, written while the connection lives. */
    RecoverySessionStore recoverySessions();

    /** Who is in which presence room. */
    PresenceStore presence();

    /** Connection metadata and subscriptions, for operators. */
    ClientRegistry clients();

    /** Releases what the backend owns (its pool, its subscriber thread). */
    @Override
    void close();
}
