package dev.realtime.core.internal;

import dev.realtime.core.PublishResult;
import dev.realtime.core.broker.Envelope;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.StreamPosition;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish path: {@code publish -> history append (streams, with the rollback check) -> recovery log ->
 * local fan-out -> broker}, and the way back for envelopes of other nodes. The fan-out takes no global lock: it
 * reads each room's member set and hands the event to each subscription, whose own lock orders offsets; frames are
 * encoded once per event and protocol, lazily, by the recipients' encoders.
 */
final class Publishing {
    private static final Logger log = LoggerFactory.getLogger(Publishing.class);
    private final HubEngine engine;

    Publishing(HubEngine engine) {
        this.engine = engine;
    }

    /**
     * Publishes an event to engine.rooms. The first room that keeps history (by the engine.history-room rule) is the event's
     * stream: the event is appended there first, so it gets an offset every node agrees on.
     *
     * @throws dev.realtime.core.StoreException when the engine.history cannot be written; nothing was delivered
     */
    PublishResult publish(List<String> targetRooms, String event, String data) {
        return publish(targetRooms, event, data, null);
    }

    /**
     * As {@link #publish(List, String, String)}; with an idempotency key, a repeated publish (a retry after a
     * timeout) stores nothing new: the first entry is delivered again under its own offset, which every
     * subscriber that already has it skips, and the result says {@code duplicate}.
     */
    PublishResult publish(List<String> targetRooms, String event, String data, String idempotencyKey) {
        if (targetRooms.isEmpty()) {
            throw new IllegalArgumentException("no engine.rooms");
        }
        return publish(Targets.rooms(targetRooms), event, data, idempotencyKey, false);
    }

    /** A broadcast operator's emit: engine.rooms with except lists, namespace, volatile and local-only delivery. */
    PublishResult publish(Targets targets, String event, String data, boolean local) {
        return publish(targets, event, data, null, local);
    }

    private PublishResult publish(Targets targets, String event, String data, String idempotencyKey, boolean local) {
        if (event.isEmpty() || event.charAt(0) == '\u0000') {
            // names starting with NUL are the cluster's control messages (SocketQueries): never an application's
            throw new IllegalArgumentException("an event name must not be empty or start with NUL");
        }
        Instant now = engine.clock.instant();
        String stream = null;
        if (!targets.volatileDelivery()) {
            for (String r : targets.rooms()) {
                if (engine.historyRooms.test(r)) {
                    stream = r;
                    break;
                }
            }
        }
        if (stream != null && !local && engine.history instanceof dev.realtime.core.history.AnnouncingHistoryStore a
                && a.announcesThrough(engine.broker, engine.recoveryLog)) {
            return publishAnnounced(a, targets, event, data, stream, now, idempotencyKey);
        }
        Envelope env;
        boolean duplicate = false;
        if (stream != null) {
            HistoryEntry entry = appendChecked(stream, event, data, now, idempotencyKey);
            duplicate = entry.duplicate();
            env = new Envelope(engine.nodeId, targets.encode(), entry.event(), entry.data(), stream, entry.offset(),
                    entry.epoch(), entry.timestamp(), 0);
        } else {
            env = new Envelope(engine.nodeId, targets.encode(), event, data, null, 0, null, now, 0);
        }
        env = duplicate || targets.volatileDelivery() ? env : logged(env);
        if (duplicate) {
            // an idempotent repeat travels marked, so receivers do not take its old offset for a rollback
            List<String> marked = new java.util.ArrayList<>(env.rooms());
            marked.add(DUPLICATE);
            env = new Envelope(env.origin(), marked, env.event(), env.data(), env.stream(), env.offset(), env.epoch(),
                    env.timestamp(), env.logId());
        }
        OutboundEvent out = Events.fromEnvelope(env);
        engine.counters.published.increment();
        int delivered = deliverLocal(targets, out);
        if (!local) {
            forward(env);
        }
        return new PublishResult(out.stream, out.offset, out.epoch, delivered, duplicate);
    }

    /**
     * The atomic path: engine.history append, recovery-log entry and cross-node publish are one step in the store (one
     * Lua script in Redis); this node then delivers to its own connections. The rollback check applies as on the
     * other path.
     */
    private PublishResult publishAnnounced(dev.realtime.core.history.AnnouncingHistoryStore store,
                                           Targets targets, String event, String data, String stream,
                                           Instant now, String idempotencyKey) {
        Envelope template = new Envelope(engine.nodeId, targets.encode(), event, data, stream, 0, null, now, 0);
        Mark before = watermarks.getIfPresent(stream);
        var announced = store.appendAndAnnounce(template, idempotencyKey, engine.recoveryLog != null);
        Envelope env = announced.envelope();
        if (before != null && !announced.duplicate() && env.epoch().equals(before.epoch())
                && env.offset() <= before.offset()) {
            engine.counters.epochResets.increment();
            log.warn("engine.history of {} rolled back (offset {} handed out again after {} in epoch {}): new epoch",
                    stream, env.offset(), before.offset(), before.epoch());
            store.newEpoch(stream);
            announced = store.appendAndAnnounce(template, null, engine.recoveryLog != null);
            env = announced.envelope();
        }
        observe(stream, env.epoch(), env.offset(), hash(env));
        OutboundEvent out = Events.fromEnvelope(env);
        engine.counters.published.increment();
        int delivered = deliverLocal(targets, out);
        return new PublishResult(out.stream, out.offset, out.epoch, delivered, announced.duplicate());
    }

    /**
     * Appends and checks the offset against the highest one this node saw in the stream before the append began:
     * an append that gets an offset at or below it, in the same epoch, means the store rolled back (restored from
     * an older snapshot). Then the stream starts a new epoch and the event is appended again, so no client ever
     * receives a different event under an offset it already holds.
     */
    private HistoryEntry appendChecked(String stream, String event, String data, Instant now, String key) {
        Mark before = watermarks.getIfPresent(stream);
        HistoryEntry entry = engine.history.append(stream, event, data, now, key);
        if (before != null && !entry.duplicate() && entry.epoch().equals(before.epoch())
                && entry.offset() <= before.offset()) {
            engine.counters.epochResets.increment();
            log.warn("engine.history of {} rolled back (offset {} handed out again after {} in epoch {}): new epoch",
                    stream, entry.offset(), before.offset(), before.epoch());
            try {
                engine.history.newEpoch(stream);
                entry = engine.history.append(stream, event, data, now, null);
            } catch (UnsupportedOperationException e) {
                log.warn("the engine.history store cannot start a new epoch; clients may drop events of {}", stream);
            }
        }
        observe(stream, entry.epoch(), entry.offset(), 31 * entry.event().hashCode() + entry.data().hashCode());
        return entry;
    }

    /** Remembers the highest offset seen per stream and epoch (appends here, envelopes from other nodes). */
    private void observe(String stream, String epoch, long offset) {
        observe(stream, epoch, offset, 0);
    }

    /** Highest offset seen in a stream, its epoch, and the hash of the event under it (0 when unknown). */
    private record Mark(long offset, String epoch, int hash) {
    }

    private static int hash(Envelope e) {
        return 31 * e.event().hashCode() + e.data().hashCode();
    }

    private void observe(String stream, String epoch, long offset, int hash) {
        watermarks.asMap().merge(stream, new Mark(offset, epoch, hash), (old, now) ->
                old.epoch().equals(now.epoch()) && old.offset() >= now.offset() ? old : now);
    }

    /** Highest offset seen per stream on this node: the rollback check of {@link #appendChecked}. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Mark> watermarks =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000)
                    .expireAfterAccess(java.time.Duration.ofHours(1)).build();

    /** Sends an event to every connection on this node (and, through the engine.broker, on every node). */
    int broadcast(String event, String data) {
        if (event.isEmpty() || event.charAt(0) == '\u0000') {
            throw new IllegalArgumentException("an event name must not be empty or start with NUL");
        }
        Envelope env = logged(new Envelope(engine.nodeId, List.of(), event, data, null, 0, null, engine.clock.instant(), 0));
        engine.counters.published.increment();
        int n = broadcastLocal(Events.fromEnvelope(env));
        forward(env);
        return n;
    }

    private Envelope logged(Envelope env) {
        if (engine.recoveryLog == null) {
            return env;
        }
        try {
            return env.withLogId(engine.recoveryLog.append(env));
        } catch (RuntimeException e) {
            log.warn("recovery log append failed; this event cannot be recovered by Socket.IO clients: {}",
                    e.toString());
            return env;
        }
    }

    /**
     * Appends a direct emit to one socket to the recovery log under the socket's key, so that recovery replays it;
     * returns its log id, or 0 when the log is off or failed (the emit then goes out without an offset).
     */
    long logDirect(String key, String event, String argsJson) {
        if (engine.recoveryLog == null) {
            return 0;
        }
        return logged(new Envelope(engine.nodeId, List.of(key), event, argsJson, null, 0, null, engine.clock.instant(), 0)).logId();
    }

    private void forward(Envelope env) {
        try {
            engine.broker.publish(env);
        } catch (RuntimeException e) {
            log.warn("engine.broker publish failed for {} on {}: {}", env.event(), env.rooms(), e.toString());
        }
    }

    private int broadcastLocal(OutboundEvent out) {
        WriteScheduler.Collector held = collect();
        try {
            int n = 0;
            for (RealConnection c : engine.connections.view()) {
                c.broadcast(out);
                n++;
            }
            return n;
        } finally {
            release(held);
        }
    }

    /** Holds back the drain loops a fan-out starts, to hand them to the writers in chunks (null: no writers). */
    private WriteScheduler.Collector collect() {
        return engine.writer instanceof WriteScheduler w ? w.collect() : null;
    }

    private void release(WriteScheduler.Collector held) {
        if (held != null) {
            ((WriteScheduler) engine.writer).release(held);
        }
    }

    void deliverRemote(Envelope e) {
        if (engine.nodeId.equals(e.origin())) {
            return;
        }
        if (SocketQueries.CONTROL.equals(e.event()) || SocketQueries.REPLY.equals(e.event())) {
            engine.background(() -> engine.sockets.onControl(e));
            return;
        }
        if (e.stream() != null && e.epoch() != null) {
            if (rolledBack(e)) {
                return;
            }
            observe(e.stream(), e.epoch(), e.offset(), hash(e));
            remoteMarks.asMap().merge(e.stream(), new Mark(e.offset(), e.epoch(), hash(e)), (old, now) ->
                    old.epoch().equals(now.epoch()) && old.offset() >= now.offset() ? old : now);
        }
        try {
            if (e.rooms().isEmpty()) {
                broadcastLocal(Events.fromEnvelope(e));
            } else {
                deliverLocal(Targets.decode(e.rooms()), Events.fromEnvelope(e));
            }
        } catch (RuntimeException ex) {
            log.error("delivering a remote envelope failed", ex);
        }
    }

    /**
     * A receiving node's rollback check: an envelope of another node that reuses an offset this node already saw in
     * the same epoch, with other content, means the store was restored from an older snapshot after the publisher
     * lost its own watermark (it restarted). This node starts the stream's new epoch (once across the cluster:
     * {@link dev.realtime.core.history.HistoryStore#newEpochIf}) and tells its subscribers of the gap; the event
     * itself is not delivered under a number they hold. Idempotent re-deliveries carry the duplicate marker and an
     * envelope delivered twice has the same content: neither counts.
     */
    private boolean rolledBack(Envelope e) {
        // only where one store step appends and announces: then a stream's envelopes reach every node in offset
        // order, and an offset at or below one received before cannot be a late arrival
        if (!(engine.history instanceof dev.realtime.core.history.AnnouncingHistoryStore a)
                || !a.announcesThrough(engine.broker, engine.recoveryLog)) {
            return false;
        }
        Mark seen = remoteMarks.getIfPresent(e.stream());
        if (seen == null || !seen.epoch().equals(e.epoch()) || e.offset() > seen.offset()
                || e.rooms().contains(DUPLICATE) || (e.offset() == seen.offset() && seen.hash() == hash(e))) {
            return false;
        }
        engine.counters.epochResets.increment();
        log.warn("history of {} rolled back (offset {} of epoch {} handed out again after {}): new epoch",
                e.stream(), e.offset(), e.epoch(), seen.offset());
        watermarks.invalidate(e.stream());
        remoteMarks.invalidate(e.stream());
        engine.background(() -> {
            try {
                engine.history.newEpochIf(e.stream(), e.epoch());
            } catch (RuntimeException ex) {
                log.warn("could not start a new epoch for {}: {}", e.stream(), ex.toString());
            }
            for (Subscription s : engine.rooms.members(e.stream())) {
                s.catchUp();
            }
        });
        return true;
    }

    /**
     * Highest offset per stream received from other nodes (not this node's own appends, which run ahead of the
     * channel): the receiving side's rollback check.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Mark> remoteMarks =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000)
                    .expireAfterAccess(java.time.Duration.ofHours(1)).build();

    /** Room-list marker of an idempotent repeat forwarded to the other nodes (not a rollback). */
    static final String DUPLICATE = "!d";

    /** Delivers to the peers the targets select: the engine.rooms' members, or every socket when there are no engine.rooms. */
    int deliverLocal(Targets t, OutboundEvent out) {
        WriteScheduler.Collector held = collect();
        try {
            return fanOut(t, out);
        } finally {
            release(held);
        }
    }

    private int fanOut(Targets t, OutboundEvent out) {
        if (!t.filtered()) {
            return t.rooms().isEmpty() ? broadcastLocal(out) : deliverLocal(t.rooms(), out);
        }
        int n = 0;
        if (t.rooms().isEmpty()) {
            for (RealConnection c : engine.connections.view()) {
                for (Peer p : c.peers()) {
                    if (!t.excludes(p) && !(t.volatileDelivery() && c.queued() > 0)) {
                        p.send(out, null);
                        n++;
                    }
                }
            }
            return n;
        }
        Set<Peer> seen = new HashSet<>();
        for (String room : t.rooms()) {
            for (Subscription s : engine.rooms.members(room)) {
                if (seen.add(s.peer) && !t.excludes(s.peer)
                        && !(t.volatileDelivery() && s.peer.connection().queued() > 0)) {
                    s.deliver(out);
                    n++;
                }
            }
        }
        return n;
    }

    int deliverLocal(List<String> targetRooms, OutboundEvent out) {
        int n = 0;
        if (targetRooms.size() == 1) {
            for (Subscription s : engine.rooms.members(targetRooms.get(0))) {
                s.deliver(out);
                n++;
            }
            return n;
        }
        Set<Peer> seen = new HashSet<>();
        for (String room : targetRooms) {
            Subscription[] members = engine.rooms.members(room);
            for (Subscription s : members) {
                if (seen.add(s.peer)) {
                    s.deliver(out);
                    n++;
                }
            }
        }
        return n;
    }
}
