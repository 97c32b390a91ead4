package dev.realtime.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The rooms one peer is in, by room name. Thread-safe. */
final class Subscriptions {
    private final ConcurrentHashMap<String, Subscription> byRoom = new ConcurrentHashMap<>();

    Subscription get(String room) {
        return byRoom.get(room);
    }

    void put(String room, Subscription s) {
        byRoom.put(room, s);
    }

    Subscription remove(String room) {
        return byRoom.remove(room);
    }

    Set<String> rooms() {
        return Set.copyOf(byRoom.keySet());
    }

    int size() {
        return byRoom.size();
    }

    List<Subscription> clear() {
        List<Subscription> all = new ArrayList<>(byRoom.values());
        byRoom.clear();
        return all;
    }
}
