package dev.realtime.core.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node {@link PresenceStore}: per room, per user, the live connections with their expiry time. A
 * connection's entry lives {@code ttl} after its last join or refresh, measured on the injected {@link Clock};
 * expired entries are dropped lazily when their room is touched.
 *
 * <p>Thread-safe: each room is guarded by its own monitor; the connection index is a concurrent map. Holds no
 * threads, so {@link #close} does nothing.
 *
 * @since 0.1
 */
public final class InMemoryPresenceStore implements PresenceStore {
    private final long ttlMillis;
    private final Clock clock;
    /** Rooms by name; a room object is removed once empty (under its own lock, then re-checked by writers). */
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /** For {@link #refresh}: the rooms each connection joined. Values are concurrent sets. */
    private final ConcurrentHashMap<String, Set<String>> roomsByConnection = new ConcurrentHashMap<>();

    public InMemoryPresenceStore(Duration ttl, Clock clock) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        this.ttlMillis = ttl.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean join(String room, String userId, String connectionId) {
        requireArgs(room, userId, connectionId);
        long now = clock.millis();
        roomsByConnection.computeIfAbsent(connectionId, k -> ConcurrentHashMap.newKeySet()).add(room);
        while (true) {
            Room r = rooms.computeIfAbsent(room, k -> new Room());
            synchronized (r) {
                if (r.removed) {
                    continue; // lost a race with the room's removal: use the fresh one
                }
                r.expire(now);
                Map<String, Long> conns = r.users.computeIfAbsent(userId, k -> new HashMap<>());
                boolean first = conns.isEmpty(); // a re-join of the same connection is not a first
                conns.put(connectionId, now + ttlMillis);
                return first;
            }
        }
    }

    @Override
    public boolean leave(String room, String userId, String connectionId) {
        requireArgs(room, userId, connectionId);
        Set<String> joined = roomsByConnection.get(connectionId);
        if (joined != null) {
            joined.remove(room);
            if (joined.isEmpty()) {
                roomsByConnection.remove(connectionId, joined);
            }
        }
        Room r = rooms.get(room);
        if (r == null) {
            return false;
        }
        synchronized (r) {
            r.expire(clock.millis());
            Map<String, Long> conns = r.users.get(userId);
            boolean last = false;
            if (conns != null && conns.remove(connectionId) != null && conns.isEmpty()) {
                r.users.remove(userId);
                last = true;
            }
            r.removeIfEmpty(room);
            return last;
        }
    }

    @Override
    public Set<String> members(String room) {
        Room r = rooms.get(Objects.requireNonNull(room, "room"));
        if (r == null) {
            return Set.of();
        }
        synchronized (r) {
            r.expire(clock.millis());
            Set<String> out = Set.copyOf(r.users.keySet());
            r.removeIfEmpty(room);
            return out;
        }
    }

    @Override
    public void refresh(Collection<String> connectionIds) {
        long now = clock.millis();
        for (String id : connectionIds) {
            Set<String> joined = roomsByConnection.get(id);
            if (joined == null) {
                continue;
            }
            for (String room : joined) {
                Room r = rooms.get(room);
                if (r == null) {
                    continue;
                }
                synchronized (r) {
                    r.expire(now);
                    for (Map<String, Long> conns : r.users.values()) {
                        conns.computeIfPresent(id, (k, v) -> now + ttlMillis);
                    }
                }
            }
        }
    }

    private static void requireArgs(String room, String userId, String connectionId) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
    }

    /** One room's members. All fields guarded by {@code this}. */
    private final class Room {
        /** userId -> (connectionId -> expiry millis). */
        final Map<String, Map<String, Long>> users = new HashMap<>();
        /** Set once the room was taken out of {@link #rooms}; writers holding a stale reference retry. */
        boolean removed;

        void expire(long now) {
            Iterator<Map<String, Long>> it = users.values().iterator();
            while (it.hasNext()) {
                Map<String, Long> conns = it.next();
                conns.values().removeIf(expiry -> expiry <= now);
                if (conns.isEmpty()) {
                    it.remove();
                }
            }
        }

        void removeIfEmpty(String name) {
            if (users.isEmpty()) {
                removed = true;
                rooms.remove(name, this);
            }
        }
    }
}
