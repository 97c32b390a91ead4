package dev.realtime.core.internal;

import dev.realtime.core.Rooms;
import dev.realtime.core.BroadcastOperator;
import dev.realtime.core.Client;
import dev.realtime.core.PublishResult;
import dev.realtime.core.RemoteSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link BroadcastOperator} behind {@code namespace.to(...)} and {@code hub.to(...)}: an immutable selection
 * that turns into {@link Targets} when it acts. Rooms named through a namespace are that namespace's application
 * rooms; through the hub, hub-wide rooms.
 */
final class Broadcast implements BroadcastOperator {
    private final HubEngine engine;
    /** Null for hub-wide rooms. */
    private final NamespaceImpl nsp;
    private final Set<String> rooms;
    private final Set<String> exceptRooms;
    private final Set<String> exceptIds;
    private final boolean local;
    private final boolean volatileDelivery;

    Broadcast(HubEngine engine, NamespaceImpl nsp) {
        this(engine, nsp, Set.of(), Set.of(), Set.of(), false, false);
    }

    private Broadcast(HubEngine engine, NamespaceImpl nsp, Set<String> rooms, Set<String> exceptRooms,
                      Set<String> exceptIds, boolean local, boolean volatileDelivery) {
        this.engine = engine;
        this.nsp = nsp;
        this.rooms = rooms;
        this.exceptRooms = exceptRooms;
        this.exceptIds = exceptIds;
        this.local = local;
        this.volatileDelivery = volatileDelivery;
    }

    private static Set<String> plus(Set<String> set, String... more) {
        Set<String> s = new LinkedHashSet<>(set);
        for (String m : more) {
            s.add(java.util.Objects.requireNonNull(m, "room"));
        }
        return s;
    }

    private String key(String room) {
        if (!Rooms.valid(room)) {
            throw new IllegalArgumentException("invalid room name: " + room);
        }
        return nsp == null ? room : nsp.roomKey(room);
    }

    @Override
    public BroadcastOperator to(String... more) {
        return new Broadcast(engine, nsp, plus(rooms, more), exceptRooms, exceptIds, local, volatileDelivery);
    }

    @Override
    public BroadcastOperator except(String... more) {
        return new Broadcast(engine, nsp, rooms, plus(exceptRooms, more), exceptIds, local, volatileDelivery);
    }

    @Override
    public BroadcastOperator except(Client client) {
        return new Broadcast(engine, nsp, rooms, exceptRooms, plus(exceptIds, client.id()), local, volatileDelivery);
    }

    @Override
    public BroadcastOperator local() {
        return new Broadcast(engine, nsp, rooms, exceptRooms, exceptIds, true, volatileDelivery);
    }

    @Override
    public BroadcastOperator volatileDelivery() {
        return new Broadcast(engine, nsp, rooms, exceptRooms, exceptIds, local, true);
    }

    Targets targets() {
        List<String> r = new ArrayList<>();
        rooms.forEach(x -> r.add(key(x)));
        Set<String> x = new HashSet<>();
        exceptRooms.forEach(e -> x.add(key(e)));
        // a namespace-wide emit (no rooms) is limited to the namespace; rooms of a namespace already are
        String namespace = nsp != null && r.isEmpty() ? nsp.name() : null;
        return new Targets(r, x, exceptIds, namespace, volatileDelivery);
    }

    @Override
    public PublishResult emit(String event, Object data) {
        return engine.publishing.publish(targets(), event, engine.json(data), local);
    }

    @Override
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return engine.sockets.fetch(targets(), local);
    }

    @Override
    public void socketsJoin(String... join) {
        engine.sockets.act(targets(), local, SocketQueries.Op.JOIN, List.of(join), false);
    }

    @Override
    public void socketsLeave(String... leave) {
        engine.sockets.act(targets(), local, SocketQueries.Op.LEAVE, List.of(leave), false);
    }

    @Override
    public void disconnectSockets(boolean close) {
        engine.sockets.act(targets(), local, SocketQueries.Op.DISCONNECT, List.of(), close);
    }
}
