package dev.realtime.core.internal;

import dev.realtime.core.history.HistoryEntry;

/** Conversions between history entries and outbound events. */
public final class Events {
    private Events() {
    }

    /** The conflation key for an event, or null when it must never be dropped. */
    public static String conflationKey(String event, String stream) {
        if (stream != null && event.endsWith(":progress")) {
            return event + "|" + stream;
        }
        return null;
    }

    public static OutboundEvent fromEnvelope(dev.realtime.core.broker.Envelope e) {
        String room = e.stream() != null ? e.stream() : e.rooms().isEmpty() ? null : e.rooms().get(0);
        return new OutboundEvent(room, e.event(), e.data(), e.stream(), e.offset(), e.epoch(), e.timestamp(),
                conflationKey(e.event(), e.stream()), e.logId());
    }

    /** An envelope replayed on Socket.IO recovery: never conflated, the client asked for exactly these. */
    public static OutboundEvent replayed(dev.realtime.core.broker.Envelope e) {
        String room = e.stream() != null ? e.stream() : e.rooms().isEmpty() ? null : e.rooms().get(0);
        return new OutboundEvent(room, e.event(), e.data(), e.stream(), e.offset(), e.epoch(), e.timestamp(), null,
                e.logId());
    }

    public static OutboundEvent fromHistory(HistoryEntry e) {
        // replayed events are never conflated: the client asked for exactly these
        return new OutboundEvent(e.stream(), e.event(), e.data(), e.stream(), e.offset(), e.epoch(), e.timestamp(), null, 0);
    }
}
