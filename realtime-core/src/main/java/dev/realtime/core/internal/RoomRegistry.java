package dev.realtime.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local room membership: room name to the subscriptions of local peers. Joins and leaves lock only the room's
 * hash bin (ConcurrentHashMap.compute). A broadcast reads the room's members as an array snapshot without locking:
 * the snapshot is rebuilt by the first read after a change, so a fan-out to 1,000 members walks one contiguous
 * array instead of a hash set's nodes. Empty rooms are removed. Thread-safe.
 *
 * <p>A join or leave that completed before a read began is always reflected in that read; one concurrent with it
 * may or may not be (as with a concurrent set's weakly consistent iteration). A change drops the room's snapshot,
 * so a member that left is not kept reachable by a room that publishes nothing more.
 */
public final class RoomRegistry {
    private static final Subscription[] NONE = new Subscription[0];
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

    /** One room: its member set, a change counter, and the last snapshot with the count it was taken at. */
    private static final class Room {
        final Set<Subscription> members = ConcurrentHashMap.newKeySet();
        /** Bumped after every change of {@link #members}; changes of one room are serialised by the map's bin lock. */
        volatile int version;
        volatile Snapshot snapshot;

        /** After a change (under the map's bin lock): the old snapshot goes, so it keeps no departed member alive. */
        void changed() {
            version++;
            snapshot = null;
        }

        Subscription[] snapshot() {
            Snapshot s = snapshot;
            int v = version; // read before the copy: a change during the copy bumps it, so the next read rebuilds
            if (s != null && s.version == v) {
                return s.members;
            }
            Subscription[] copy = members.toArray(NONE);
            if (version == v) {
                snapshot = new Snapshot(copy, v); // else a change came meanwhile: the next read copies again
            }
            return copy;
        }
    }

    /** A room's members at one version. */
    private record Snapshot(Subscription[] members, int version) {
    }

    void add(Subscription s) {
        rooms.compute(s.room, (k, room) -> {
            Room r = room == null ? new Room() : room;
            if (r.members.add(s)) {
                r.changed();
            }
            return r;
        });
    }

    void remove(Subscription s) {
        rooms.computeIfPresent(s.room, (k, room) -> {
            if (room.members.remove(s)) {
                room.changed();
            }
            return room.members.isEmpty() ? null : room;
        });
    }

    /** The members of a room, a snapshot: never changes after it is returned (and must not be modified). */
    Subscription[] members(String room) {
        Room r = rooms.get(room);
        return r == null ? NONE : r.snapshot();
    }

    /** Every local subscription (a snapshot of each room's members), for a catch-up after a broker outage. */
    List<Subscription> all() {
        List<Subscription> out = new ArrayList<>();
        rooms.values().forEach(r -> out.addAll(Arrays.asList(r.snapshot())));
        return out;
    }

    public int size() {
        return rooms.size();
    }

    public int memberCount(String room) {
        Room r = rooms.get(room);
        return r == null ? 0 : r.members.size();
    }
}
