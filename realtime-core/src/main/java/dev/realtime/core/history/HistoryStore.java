package dev.realtime.core.history;

import java.time.Instant;

/**
 * Keeps a bounded, expiring history per stream and assigns offsets. This is what makes resume possible: the
 * offset returned by {@link #append} is the one every node and every client agrees on.
 *
 * <p><b>Contract.</b> {@code append} assigns offsets atomically per stream: offsets are {@code 1, 2, 3, ...}
 * within one epoch with no holes, even with many concurrent appenders on many nodes. When a store loses a
 * stream's history (expiry, restart, eviction) and the stream starts again, it must start a new epoch, so that a
 * client holding an old offset learns of the gap. {@code read} never returns entries out of order.
 *
 * <p><b>Thread-safety.</b> Implementations are safe for concurrent use. Methods may block on I/O (a Redis store
 * does); the hub calls them on the publishing thread and while handling a subscribe.
 *
 * <p><b>Failures.</b> A store that cannot serve a call throws {@link dev.realtime.core.StoreException}.
 *
 * @since 0.1
 */
public interface HistoryStore extends AutoCloseable {

    /** Appends an event to the stream's history and returns it with its assigned offset and epoch. */
    HistoryEntry append(String stream, String event, String data, Instant timestamp);

    /**
     * Reads up to {@code limit} entries with offset greater than {@code after}, oldest first.
     *
     * @param after offset already seen by the reader; {@code 0} reads from the start of the epoch
     */
    HistoryPage read(String stream, long after, int limit);

    /** The stream's current top; a stream never written is at offset 0 of a fresh epoch. */
    StreamPosition position(String stream);

    /**
     * Records the owner (a user id) of a stream, kept as long as the stream's history: room rules and the
     * history endpoint read it back on every node. A store shared by several nodes must implement this and
     * {@link #owner}; the default keeps nothing (then only the publishing node's cache knows the owner).
     */
    default void recordOwner(String stream, String owner) {
    }

    /** The owner recorded for a stream, on any node sharing this store. */
    default java.util.Optional<String> owner(String stream) {
        return java.util.Optional.empty();
    }

    /**
     * Appends unless an append with the same {@code idempotencyKey} already went into this stream within the
     * retention: then the first append's entry is returned with {@link HistoryEntry#duplicate()} set and nothing
     * is appended. A retry after a timeout therefore never stores an event twice. The default ignores the key.
     */
    default HistoryEntry append(String stream, String event, String data, Instant timestamp, String idempotencyKey) {
        return append(stream, event, data, timestamp);
    }

    /**
     * Starts a new epoch for the stream now, at offset 0, dropping its entries: called when the hub sees the
     * store hand out an offset it already saw (the store was restored from an older snapshot), so that clients
     * holding the old offsets learn of the gap instead of receiving different events under numbers they already
     * have. The default refuses (a store that cannot roll back).
     */
    default StreamPosition newEpoch(String stream) {
        throw new UnsupportedOperationException("this history store cannot start a new epoch");
    }

    /**
     * As {@link #newEpoch}, only while the stream is still in {@code expectedEpoch}: several nodes that notice the
     * same rollback start one new epoch, not one each. Returns the stream's position afterwards. The default checks
     * and starts in two steps; stores shared by nodes override it with one atomic step.
     *
     * @since 0.2
     */
    default StreamPosition newEpochIf(String stream, String expectedEpoch) {
        StreamPosition now = position(stream);
        return now.epoch().equals(expectedEpoch) ? newEpoch(stream) : now;
    }

    /** Releases resources the store owns. The default does nothing. */
    @Override
    default void close() {
    }

    /** A new in-memory store keeping the last {@code maxEntries} per stream for {@code retention}. */
    static HistoryStore inMemory(int maxEntries, java.time.Duration retention, java.time.Clock clock) {
        return new InMemoryHistoryStore(maxEntries, retention, clock);
    }
}
