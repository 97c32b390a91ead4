package dev.realtime.core.internal;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local room membership: room name to the subscriptions of local peers. Broadcasts read a room's member set
 * without locking; joins and leaves lock only the room's hash bin (ConcurrentHashMap.compute). Empty rooms are
 * removed. Thread-safe.
 */
public final class RoomRegistry {
    private final ConcurrentHashMap<String, Set<Subscription>> rooms = new ConcurrentHashMap<>();

    void add(Subscription s) {
        rooms.compute(s.room, (k, members) -> {
            Set<Subscription> m = members == null ? ConcurrentHashMap.newKeySet() : members;
            m.add(s);
            return m;
        });
    }

    void remove(Subscription s) {
        rooms.computeIfPresent(s.room, (k, members) -> {
            members.remove(s);
            return members.isEmpty() ? null : members;
        });
    }

    /** Current members of a room (a live view; may change while iterated). */
    Collection<Subscription> members(String room) {
        Set<Subscription> m = rooms.get(room);
        return m == null ? Set.of() : m;
    }

    /** Every local subscription (a snapshot of each room's members), for a catch-up after a broker outage. */
    java.util.List<Subscription> all() {
        java.util.List<Subscription> out = new java.util.ArrayList<>();
        rooms.values().forEach(out::addAll);
        return out;
    }

    public int size() {
        return rooms.size();
    }

    public int memberCount(String room) {
        Set<Subscription> m = rooms.get(room);
        return m == null ? 0 : m.size();
    }
}
