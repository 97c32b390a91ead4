package dev.realtime.core.internal;

import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.HistoryStore;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer's membership of one room. For rooms with history it keeps the last offset delivered, so that events
 * are delivered in offset order exactly once: duplicates are skipped and a hole (offset n+2 seen before n+1,
 * possible with concurrent publishers or across nodes) is filled from history first.
 *
 * <p>While a resume is in progress the subscription buffers live events; {@link #goLive} drains the buffer
 * skipping what the replay already sent. All mutable state is guarded by {@code this}; the lock is per
 * subscription, never global.
 */
public final class Subscription {
    private static final int MAX_BUFFER = 10_000;

    final Peer peer;
    final String room;
    /** True while a subscribe/resume replays history; live events are buffered. Guarded by this. */
    private boolean buffering;
    private List<OutboundEvent> buffer;
    /** Offset of the last event delivered, and its epoch. Guarded by this. */
    private long lastOffset;
    private String epoch;
    private final HistoryStore history;

    Subscription(Peer peer, String room, HistoryStore history, boolean buffering) {
        this.peer = peer;
        this.room = room;
        this.history = history;
        this.buffering = buffering;
        this.buffer = buffering ? new ArrayList<>() : null;
    }

    public Peer peer() {
        return peer;
    }

    public String room() {
        return room;
    }

    /** Delivers a live event that arrived through this subscription's room. */
    void deliver(OutboundEvent event) {
        synchronized (this) {
            if (buffering) {
                if (buffer.size() < MAX_BUFFER) {
                    buffer.add(event);
                }
                return;
            }
            if (!ordered(event)) {
                return;
            }
        }
    }

    /** Ends the replay: delivers buffered events not already sent, then goes live. */
    void goLive(long replayedUpTo, String replayEpoch) {
        goLive(replayedUpTo, replayEpoch, 0);
    }

    /**
     * Ends the replay. Buffered events with a recovery-log id at or below {@code logReplayedUpTo} were already
     * sent by a log replay and are skipped; {@code replayEpoch == null} means the stream position is unknown and
     * the next event becomes the baseline.
     */
    void goLive(long replayedUpTo, String replayEpoch, long logReplayedUpTo) {
        synchronized (this) {
            lastOffset = replayedUpTo;
            epoch = replayEpoch;
            List<OutboundEvent> pending = buffer == null ? List.of() : buffer;
            buffer = null;
            buffering = false;
            for (OutboundEvent e : pending) {
                if (e.logId != 0 && e.logId <= logReplayedUpTo) {
                    continue;
                }
                ordered(e);
            }
        }
    }

    /** Sends an event if it is next in order; fills holes from history. Caller holds the lock. */
    private boolean ordered(OutboundEvent event) {
        if (event.stream == null || !event.stream.equals(room)) {
            peer.send(event, room);
            return true;
        }
        if (epoch == null) {
            // no known position (joined without a resume point): this event is the baseline
            epoch = event.epoch;
            lastOffset = event.offset;
            peer.send(event, room);
            return true;
        }
        if (!epoch.equals(event.epoch)) {
            // a new epoch (the stream's first event, or history was lost and the stream restarted): everything in
            // it is newer than what this subscriber saw, so deliver it from its first offset
            epoch = event.epoch;
            lastOffset = 0;
        }
        if (event.offset <= lastOffset) {
            return false; // duplicate: already delivered (replay or hole fill)
        }
        if (event.offset > lastOffset + 1) {
            fillHole(lastOffset, event.offset - 1);
        }
        lastOffset = event.offset;
        peer.send(event, room);
        return true;
    }

    private void fillHole(long after, long upTo) {
        try {
            HistoryPage page = history.read(room, after, (int) Math.min(10_000, upTo - after));
            for (HistoryEntry e : page.entries()) {
                if (e.offset() > upTo || !e.epoch().equals(epoch)) {
                    break;
                }
                peer.send(Events.fromHistory(e), room);
                lastOffset = e.offset();
            }
        } catch (RuntimeException e) {
            // history unreachable: deliver what we have rather than stall; the client sees an offset jump
            org.slf4j.LoggerFactory.getLogger(Subscription.class)
                    .warn("could not fill offsets {}..{} of {} from history: {}", after + 1, upTo, room, e.toString());
        }
    }
}
