package dev.realtime.core.internal;

import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.StreamPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer's membership of one room. For rooms with history it keeps the last offset delivered, so that events
 * are delivered in offset order exactly once: duplicates are skipped and a hole (offset n+2 seen before n+1,
 * possible with concurrent publishers, across nodes, or after a broker outage) is filled from history first.
 *
 * <p>While a resume or a hole fill is in progress the subscription buffers live events; {@link #goLive} (and the
 * end of a fill) drains the buffer skipping what was already sent. History is read on the hub's background
 * executor, never under the lock and never on the publishing or broker thread. When history no longer reaches
 * back to the hole, the peer is told: a {@code subscribed} signal with {@code recovered:false} and the stream's
 * position, then the newer events; nothing is skipped silently.
 *
 * <p>All mutable state is guarded by {@code this}; the lock is per subscription, never global.
 */
public final class Subscription {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Subscription.class);
    private static final int MAX_BUFFER = 10_000;
    private static final int FILL_PAGE = 1000;

    final Peer peer;
    final String room;
    /** True while a subscribe/resume replays history or a hole is being filled; live events are buffered. */
    private boolean buffering;
    private List<OutboundEvent> buffer;
    /** True while a background fill runs (it ends the buffering). Guarded by this. */
    private boolean filling;
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
            ordered(event);
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
            drain(logReplayedUpTo);
        }
    }

    /**
     * After the broker was cut off from the other nodes (their events may have been lost on the way): reads the
     * stream from the last delivered offset to its top in the background and delivers what is missing, or says
     * {@code recovered:false} when history no longer reaches back.
     */
    void catchUp() {
        synchronized (this) {
            if (buffering || epoch == null) {
                return; // a replay or fill in progress ends at the top anyway; no stream: nothing to catch up
            }
            startFill(Long.MAX_VALUE);
        }
    }

    /** Sends buffered events in order and goes live (or keeps buffering if one of them opened a new fill). */
    private void drain(long logReplayedUpTo) {
        List<OutboundEvent> pending = buffer == null ? List.of() : buffer;
        buffer = null;
        buffering = false;
        for (int i = 0; i < pending.size(); i++) {
            OutboundEvent e = pending.get(i);
            if (e.logId != 0 && e.logId <= logReplayedUpTo) {
                continue;
            }
            if (buffering) {
                buffer.add(e); // a fill started on the way: the rest waits for it
            } else {
                ordered(e);
            }
        }
    }

    /** Sends an event if it is next in order; a hole starts a background fill. Caller holds the lock. */
    private void ordered(OutboundEvent event) {
        if (event.stream == null || !event.stream.equals(room)) {
            peer.send(event, room);
            return;
        }
        if (epoch == null) {
            // no known position (joined without a resume point): this event is the baseline
            epoch = event.epoch;
            lastOffset = event.offset;
            peer.send(event, room);
            return;
        }
        if (!epoch.equals(event.epoch)) {
            // a new epoch (the stream's first event, or history was lost and the stream restarted): everything in
            // it is newer than what this subscriber saw, so deliver it from its first offset
            epoch = event.epoch;
            lastOffset = 0;
        }
        if (event.offset <= lastOffset) {
            return; // duplicate: already delivered (replay or hole fill)
        }
        if (event.offset > lastOffset + 1) {
            startFill(event.offset - 1);
            buffer.add(event);
            return;
        }
        lastOffset = event.offset;
        peer.send(event, room);
    }

    /** Starts buffering and reads {@code (lastOffset, upTo]} in the background. Caller holds the lock. */
    private void startFill(long upTo) {
        buffering = true;
        filling = true;
        if (buffer == null) {
            buffer = new ArrayList<>();
        }
        long after = lastOffset;
        String ep = epoch;
        Runnable task = () -> fill(after, ep, upTo);
        try {
            peer.connection().engine.background(task);
        } catch (RuntimeException e) {
            task.run(); // shutting down: do it here rather than lose the order
        }
    }

    /** Background: reads the hole page by page, delivers it (after a gap signal if needed), then drains. */
    private void fill(long after, String startEpoch, long upTo) {
        long from = after;
        String ep = startEpoch;
        boolean signalled = false;
        while (true) {
            HistoryPage page;
            try {
                page = history.read(room, from, (int) Math.min(FILL_PAGE, Math.max(1, upTo - from)));
            } catch (RuntimeException e) {
                log.warn("could not fill offsets {}..{} of {} from history: {}", from + 1,
                        upTo == Long.MAX_VALUE ? "top" : upTo, room, e.toString());
                synchronized (this) {
                    peer.connection().engine.counters.gaps.increment();
                    finishFill(); // history unreachable: deliver what waits rather than stall
                }
                return;
            }
            synchronized (this) {
                if (!peer.isOpen()) {
                    filling = false;
                    return;
                }
                StreamPosition position = page.position();
                boolean sameEpoch = ep.equals(position.epoch());
                boolean complete = page.complete();
                if (sameEpoch && !complete) {
                    // what history no longer has may have arrived meanwhile (out of order across nodes): bridge
                    // from the buffer before calling it a gap
                    long firstKept = page.entries().isEmpty() ? position.offset() + 1 : page.entries().get(0).offset();
                    complete = bridgeFromBuffer(Math.min(firstKept - 1, upTo));
                }
                if (!sameEpoch || !complete) {
                    if (!signalled) {
                        // history does not reach back to the hole (or the stream restarted): say so, then
                        // deliver what history still has
                        peer.connection().engine.counters.gaps.increment();
                        peer.subscribed(null, room, position, Boolean.FALSE);
                        signalled = true;
                    }
                    if (!sameEpoch) {
                        epoch = position.epoch();
                        ep = epoch;
                        lastOffset = 0;
                    }
                }
                for (HistoryEntry e : page.entries()) {
                    if (e.offset() > upTo) {
                        break;
                    }
                    if (e.offset() > lastOffset) {
                        peer.send(Events.fromHistory(e), room);
                        lastOffset = e.offset();
                    }
                }
                long target = Math.min(upTo, position.offset());
                if (page.entries().isEmpty() && signalled) {
                    lastOffset = Math.max(lastOffset, target); // nothing kept: continue after the hole
                }
                if (lastOffset >= target || page.entries().isEmpty()) {
                    finishFill();
                    return;
                }
                from = lastOffset;
            }
        }
    }

    /**
     * Delivers buffered events of this stream that continue {@code lastOffset} without a hole, up to
     * {@code upTo}; true when they reach it. Caller holds the lock.
     */
    private boolean bridgeFromBuffer(long upTo) {
        if (buffer == null || buffer.isEmpty()) {
            return lastOffset >= upTo;
        }
        List<OutboundEvent> own = new ArrayList<>();
        for (OutboundEvent e : buffer) {
            if (room.equals(e.stream) && epoch.equals(e.epoch) && e.offset > lastOffset && e.offset <= upTo) {
                own.add(e);
            }
        }
        own.sort(java.util.Comparator.comparingLong(e -> e.offset));
        for (OutboundEvent e : own) {
            if (e.offset == lastOffset + 1) {
                peer.send(e, room);
                lastOffset = e.offset;
            } else if (e.offset > lastOffset + 1) {
                break;
            }
        }
        return lastOffset >= upTo;
    }

    private void finishFill() {
        filling = false;
        drain(0);
    }
}
