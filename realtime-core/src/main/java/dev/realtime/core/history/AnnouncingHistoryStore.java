package dev.realtime.core.history;

import dev.realtime.core.broker.Broker;
import dev.realtime.core.broker.Envelope;

/**
 * A history store that announces every append to the other nodes in the same atomic step as storing it (and adds
 * it to the Socket.IO recovery log), as Centrifugo's broker contract asks: "saving to history and publishing to
 * PUB/SUB should be atomic per channel". A node that dies between the two steps can then never leave an event
 * stored but unannounced. The hub uses this path when {@link #announcesThrough} says the store speaks for the
 * hub's broker and recovery log; it then neither logs nor publishes such an event itself.
 *
 * <p>Thread-safe; methods may block on I/O and throw {@link dev.realtime.core.StoreException}.
 *
 * @since 0.2
 */
public interface AnnouncingHistoryStore extends HistoryStore {

    /** Whether this store's announcements reach the nodes through {@code broker} and its log is {@code log}. */
    boolean announcesThrough(Broker broker, RecoveryLog log);

    /**
     * Appends the template's event to its stream, adds the stored envelope to the recovery log when
     * {@code logged}, and publishes it to the other nodes, in one atomic step. With an idempotency key that was
     * used before in this stream, nothing is stored or published again: the first envelope's position comes back
     * with {@code duplicate} set.
     *
     * @param template the envelope without offset, epoch and log id ({@code stream} set)
     * @return the envelope as stored and announced
     */
    Announced appendAndAnnounce(Envelope template, String idempotencyKey, boolean logged);

    /** The stored envelope (offset, epoch and, when logged, its recovery-log id) and whether it was a repeat. */
    record Announced(Envelope envelope, boolean duplicate) {
    }
}
