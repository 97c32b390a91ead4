package dev.realtime.core.internal;

import dev.realtime.core.Rooms;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who an event goes to: target rooms (internal keys; none means every socket), rooms and sockets left out, an
 * optional namespace (for a namespace-wide emit) and the volatile flag. It travels between nodes inside an
 * envelope's room list, as marker entries that no valid room name can collide with ({@code !x:room},
 * {@code !s:socket}, {@code !n:/nsp}, {@code !v}), so brokers and recovery logs carry it unchanged.
 */
record Targets(List<String> rooms, Set<String> exceptRooms, Set<String> exceptIds, String namespace,
               boolean volatileDelivery) {
    private static final String EXCEPT_ROOM = "!x:";
    private static final String EXCEPT_SOCKET = "!s:";
    private static final String NAMESPACE = "!n:";
    private static final String VOLATILE = "!v";

    Targets {
        rooms = List.copyOf(rooms);
        exceptRooms = Set.copyOf(exceptRooms);
        exceptIds = Set.copyOf(exceptIds);
    }

    static Targets rooms(List<String> rooms) {
        return new Targets(rooms, Set.of(), Set.of(), null, false);
    }

    /** Whether anything beyond plain rooms is asked for (the fast path delivers to rooms only). */
    boolean filtered() {
        return !exceptRooms.isEmpty() || !exceptIds.isEmpty() || namespace != null || volatileDelivery;
    }

    /** Whether a peer is left out by the except lists or the namespace. */
    boolean excludes(Peer peer) {
        if (namespace != null && !namespace.equals(peer.namespace())) {
            return true;
        }
        if (exceptIds.contains(peer.id())) {
            return true;
        }
        for (String r : exceptRooms) {
            if (peer.inRoom(r)) {
                return true;
            }
        }
        return false;
    }

    /** The envelope's room list: target rooms first, then the markers. */
    List<String> encode() {
        if (!filtered()) {
            return rooms;
        }
        List<String> out = new ArrayList<>(rooms);
        exceptRooms.forEach(r -> out.add(EXCEPT_ROOM + r));
        exceptIds.forEach(s -> out.add(EXCEPT_SOCKET + s));
        if (namespace != null) {
            out.add(NAMESPACE + namespace);
        }
        if (volatileDelivery) {
            out.add(VOLATILE);
        }
        return out;
    }

    /** Reads an envelope's room list back. */
    static Targets decode(List<String> encoded) {
        boolean markers = false;
        for (String r : encoded) {
            if (r.startsWith("!")) {
                markers = true;
                break;
            }
        }
        if (!markers) {
            return rooms(encoded);
        }
        List<String> rooms = new ArrayList<>();
        Set<String> exceptRooms = new HashSet<>();
        Set<String> exceptIds = new HashSet<>();
        String namespace = null;
        boolean vol = false;
        for (String r : encoded) {
            if (r.startsWith(EXCEPT_ROOM)) {
                exceptRooms.add(r.substring(EXCEPT_ROOM.length()));
            } else if (r.startsWith(EXCEPT_SOCKET)) {
                exceptIds.add(r.substring(EXCEPT_SOCKET.length()));
            } else if (r.startsWith(NAMESPACE)) {
                namespace = r.substring(NAMESPACE.length());
            } else if (r.equals(VOLATILE)) {
                vol = true;
            } else if (!r.startsWith("!")) {
                rooms.add(r);
            }
        }
        return new Targets(rooms, exceptRooms, exceptIds, namespace, vol);
    }
}
