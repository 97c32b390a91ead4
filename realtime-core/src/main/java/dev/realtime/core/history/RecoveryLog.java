package dev.realtime.core.history;

import dev.realtime.core.broker.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A short, hub-wide log of every room event, for Socket.IO connection state recovery: a Socket.IO client
 * remembers one offset per socket (not one per room), so "everything this socket missed in all its rooms" is
 * answered by reading this log after that offset and keeping the events of the socket's rooms.
 *
 * <p><b>Contract.</b> Ids are positive and strictly increasing in append order, and comparable across every node
 * sharing the log. {@link #readAfter} returns empty when the id is no longer (or was never) covered by the log,
 * which means recovery is impossible. Thread-safe.
 *
 * @since 0.1
 */
public interface RecoveryLog extends AutoCloseable {

    /** Appends and returns the envelope's id. */
    long append(Envelope envelope);

    /**
     * Envelopes with id greater than {@code afterId}, oldest first, each carrying its id in
     * {@link Envelope#logId()}; empty when entries after {@code afterId} may have been lost.
     */
    Optional<List<Envelope>> readAfter(long afterId, int limit);

    /** Drops what has outlived its retention; the hub calls this periodically. Stores that expire by themselves
     * (Redis) ignore it. */
    default void expire() {
    }

    @Override
    default void close() {
    }

    /** An in-memory log keeping at most {@code maxEntries} for {@code retention}. */
    static RecoveryLog inMemory(int maxEntries, Duration retention, Clock clock) {
        return new InMemoryRecoveryLog(maxEntries, retention, clock);
    }
}
