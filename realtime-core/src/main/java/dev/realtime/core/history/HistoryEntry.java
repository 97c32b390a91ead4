package dev.realtime.core.history;

import java.time.Instant;
import java.util.Objects;

/**
 * One event kept in a stream's history: its position ({@code offset} within {@code epoch}), the event name and
 * its JSON payload as text.
 *
 * @param stream    the stream (room) the event belongs to, e.g. {@code job:42}
 * @param offset    position in the stream, starting at 1, strictly increasing within one epoch
 * @param epoch     identifies one incarnation of the stream; it changes when history was lost
 * @param event     event name, e.g. {@code job:progress}
 * @param data      the payload as JSON text (an object, array or scalar), never {@code null}
 * @param timestamp when the event was appended
 * @param duplicate true when an append with the same idempotency key had already stored this entry (nothing new
 *                  was appended)
 * @since 0.1
 */
public record HistoryEntry(String stream, long offset, String epoch, String event, String data, Instant timestamp,
                           boolean duplicate) {
    /** A freshly appended (or read) entry. */
    public HistoryEntry(String stream, long offset, String epoch, String event, String data, Instant timestamp) {
        this(stream, offset, epoch, event, data, timestamp, false);
    }

    /** This entry marked as the result of a repeated, idempotent append. */
    public HistoryEntry asDuplicate() {
        return new HistoryEntry(stream, offset, epoch, event, data, timestamp, true);
    }

    public HistoryEntry {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timestamp, "timestamp");
        if (offset < 1) {
            throw new IllegalArgumentException("offset must be >= 1: " + offset);
        }
    }
}
