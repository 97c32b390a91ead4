package dev.realtime.core.broker;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One published event as it travels between nodes: the rooms it goes to, the event name, the JSON payload and,
 * for events kept in history, the stream position assigned by the history store.
 *
 * @param origin    id of the node that published it; a node ignores envelopes it sent itself
 * @param rooms     target rooms, in delivery-priority order (a client in several of them gets it once)
 * @param event     event name
 * @param data      payload as JSON text
 * @param stream    history stream, or {@code null} for an event without history
 * @param offset    offset in {@code stream}, or {@code 0}
 * @param epoch     epoch of {@code stream}, or {@code null}
 * @param timestamp publish time
 * @param logId     id in the hub's recovery log (Socket.IO connection state recovery), or {@code 0}
 * @since 0.1
 */
public record Envelope(String origin, List<String> rooms, String event, String data, String stream, long offset,
                       String epoch, Instant timestamp, long logId) {
    public Envelope {
        Objects.requireNonNull(origin, "origin");
        rooms = List.copyOf(rooms);
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** This envelope with its recovery-log id. */
    public Envelope withLogId(long id) {
        return new Envelope(origin, rooms, event, data, stream, offset, epoch, timestamp, id);
    }
}
