package dev.realtime.core.internal;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.Rooms;
import dev.realtime.core.Timestamps;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.StreamPosition;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room membership: authorized subscribe with gap-free replay and resume, unsubscribe, application joins, and the
 * presence that follows membership ({@code user:joined}, {@code user:left}, {@code user:disconnected}, refreshed in
 * the store by a background task, never on the heartbeat thread).
 */
final class Membership {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);
    private final HubEngine engine;
    /** Local peers by id with the number of presence rooms they are in; refreshed in the store. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> present =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long lastPresenceRefresh;

    Membership(HubEngine engine) {
        this.engine = engine;
    }

    
    /**
     * Joins {@code peer} to {@code room}. With engine.history, the join is gap-free: the subscription buffers live
     * events while engine.history after {@code since} is read and sent, then drains the buffer skipping what was sent.
     *
     * @param since      offset the client has seen, or null to start live from now
     * @param sinceEpoch epoch the client's offset belongs to, or null when unknown
     * @return the subscription (already live), or the existing one if the peer was a member
     */
    dev.realtime.core.SubscribeResult subscribe(Peer peer, Subscriptions owned, String requestId, String room, Long since,
                           String sinceEpoch) {
        if (!engine.policy.mayJoin(peer, room)) {
            throw new RealtimeException(ErrorCode.FORBIDDEN, "not allowed to join " + room);
        }
        if (owned.get(room) == null && owned.size() >= engine.limits.roomsPerConnection()) {
            engine.counters.rateLimited.increment();
            throw new RealtimeException(ErrorCode.RATE_LIMITED, "room limit reached: "
                    + engine.limits.roomsPerConnection() + " engine.rooms per connection");
        }
        boolean withHistory = engine.historyRooms.test(room);
        Subscription existing = owned.get(room);
        if (existing != null && since == null) {
            StreamPosition at = withHistory ? engine.history.position(room) : null;
            peer.subscribed(requestId, room, at, null);
            return new dev.realtime.core.SubscribeResult(room, at, null);
        }
        if (existing != null) {
            owned.remove(room);
            engine.rooms.remove(existing);
        }
        Subscription s = new Subscription(peer, room, engine.history, withHistory);
        if (!withHistory) {
            owned.put(room, s);
            engine.rooms.add(s);
            Boolean rec = since == null ? null : Boolean.FALSE;
            peer.subscribed(requestId, room, null, rec);
            if (existing == null) {
                joined(peer, room);
            }
            return new dev.realtime.core.SubscribeResult(room, null, rec);
        }
        owned.put(room, s);
        engine.rooms.add(s); // buffering: live events from here on are kept
        if (existing == null) {
            joined(peer, room);
        }
        try {
            if (since == null) {
                StreamPosition top = engine.history.position(room);
                peer.subscribed(requestId, room, top, null);
                s.goLive(top.offset(), top.epoch());
                return new dev.realtime.core.SubscribeResult(room, top, null);
            }
            HistoryPage page = engine.history.read(room, since, engine.settings.maxReplay());
            // "none" is the epoch of a stream that did not exist yet: from offset 0 every epoch is new to the client
            boolean sameEpoch = sinceEpoch == null || sinceEpoch.equals(page.position().epoch())
                    || (since == 0 && "none".equals(sinceEpoch));
            // the replay must reach the top: one cut by the replay limit (or by the store) is a gap, said as such
            long reached = page.entries().isEmpty() ? since : page.entries().get(page.entries().size() - 1).offset();
            boolean recovered = sameEpoch && page.complete() && reached >= page.position().offset();
            peer.subscribed(requestId, room, page.position(), recovered);
            if (recovered) {
                long last = since;
                for (HistoryEntry e : page.entries()) {
                    peer.send(Events.fromHistory(e), room);
                    last = e.offset();
                }
                s.goLive(last, page.position().epoch());
            } else {
                // a gap: the client must reload; send the stream's current state (its latest event)
                HistoryPage latest = engine.history.read(room, Math.max(0, page.position().offset() - 1), 1);
                long last = page.position().offset();
                for (HistoryEntry e : latest.entries()) {
                    peer.send(Events.fromHistory(e), room);
                }
                s.goLive(last, page.position().epoch());
            }
            return new dev.realtime.core.SubscribeResult(room, page.position(), recovered);
        } catch (RuntimeException e) {
            owned.remove(room);
            engine.rooms.remove(s);
            throw e;
        }
    }

    void unsubscribe(Subscriptions owned, String room) {
        Subscription s = owned.remove(room);
        if (s != null) {
            engine.rooms.remove(s);
            left(s.peer, room, false);
        }
    }

    /** Leaves every room because the peer went away. */
    void leaveAll(Subscriptions owned) {
        for (Subscription s : owned.clear()) {
            engine.rooms.remove(s);
            left(s.peer, s.room, true);
        }
    }

    /** An application-level join (no authorization check, no engine.history replay). */
    void join(Peer peer, Subscriptions owned, String room) {
        if (!Rooms.valid(NamespaceImpl.isAppRoomKey(room) ? room.substring(room.indexOf('#') + 1) : room)) {
            throw new IllegalArgumentException("invalid room name: " + room);
        }
        if (owned.get(room) == null) {
            Subscription s = new Subscription(peer, room, engine.history, false);
            owned.put(room, s);
            engine.rooms.add(s);
            joined(peer, room);
        }
    }

    // ---- engine.presence ---------------------------------------------------------------------------------------

    private static String presenceUser(Peer peer) {
        return peer.userId().orElse(peer.id());
    }

    /** Runs a call to the client registry; a failing registry never affects connections. */
    private void mirror(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("client registry call failed: {}", e.toString());
        }
    }

    private void joined(Peer peer, String room) {
        peer.connection().mirror(() -> engine.clients.subscribe(peer.connection().id, room));
        if (!engine.presenceRooms.test(room)) {
            return;
        }
        present.computeIfAbsent(peer.id(), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        String user = presenceUser(peer);
        try {
            if (engine.presence.join(room, user, peer.id())) {
                publishPresence(room, "user:joined", user);
            }
        } catch (RuntimeException e) {
            log.warn("engine.presence join failed for {} in {}: {}", user, room, e.toString());
        }
    }

    private void left(Peer peer, String room, boolean disconnected) {
        if (!disconnected) {
            peer.connection().mirror(() -> engine.clients.unsubscribe(peer.connection().id, room));
        }
        if (!engine.presenceRooms.test(room)) {
            return;
        }
        present.computeIfPresent(peer.id(), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        String user = presenceUser(peer);
        try {
            if (engine.presence.leave(room, user, peer.id())) {
                publishPresence(room, disconnected ? "user:disconnected" : "user:left", user);
            }
        } catch (RuntimeException e) {
            log.warn("engine.presence leave failed for {} in {}: {}", user, room, e.toString());
        }
    }

    private void publishPresence(String room, String event, String user) {
        com.fasterxml.jackson.databind.node.ObjectNode data = engine.mapper.createObjectNode();
        data.put("room", room);
        if (room.startsWith("session:")) {
            data.put("sessionId", room.substring("session:".length()));
        }
        data.put("userId", user);
        data.put("timestamp", Timestamps.format(engine.clock.instant()));
        try {
            engine.publish(List.of(room), event, data.toString());
        } catch (RuntimeException e) {
            log.warn("engine.presence event {} for {} could not be published: {}", event, room, e.toString());
        }
    }

    /** Users present in a room, cluster-wide when the store is shared. */
    public java.util.Set<String> presence(String room) {
        return engine.presence.members(room);
    }

    /** Keeps the heartbeat sweep free of store I/O: the refresh runs as its own background task. */
    void refreshPresence(long now) {
        if (now - lastPresenceRefresh < PRESENCE_REFRESH_MILLIS || !refreshing.compareAndSet(false, true)) {
            return;
        }
        lastPresenceRefresh = now;
        try {
            engine.background(() -> {
                try {
                    refreshStores();
                } finally {
                    refreshing.set(false);
                }
            });
        } catch (RuntimeException e) {
            refreshing.set(false); // shutting down
        }
    }

    /** Set while a engine.presence/registry refresh task runs, so that a slow store never piles refreshes up. */
    private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();

    private void refreshStores() {
        if (!present.isEmpty()) {
            try {
                engine.presence.refresh(List.copyOf(present.keySet()));
            } catch (RuntimeException e) {
                log.warn("engine.presence refresh failed: {}", e.toString());
            }
        }
        if (!engine.connections.view().isEmpty()) {
            mirror(() -> engine.clients.refresh(engine.connections.ids()));
        }
    }

    /** How often live engine.presence entries are refreshed; stores keep entries for several times this. */
    static final long PRESENCE_REFRESH_MILLIS = 20_000;
}
