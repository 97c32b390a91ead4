package dev.realtime.core.internal;

import dev.realtime.core.Rooms;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.RemoteSocket;
import dev.realtime.core.broker.Envelope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket operations across the cluster (Socket.IO's {@code fetchSockets}, {@code socketsJoin},
 * {@code socketsLeave}, {@code disconnectSockets}): done on this node's matching sockets, and sent to the other
 * nodes as control envelopes through the broker. A fetch waits for as many answers as the broker counts other
 * nodes (or, when it cannot count, until the request timeout) and completes with what arrived.
 *
 * <p>Control envelopes are handled off the broker's thread; a node answers a fetch from its own sockets only.
 */
final class SocketQueries {
    private static final Logger log = LoggerFactory.getLogger(SocketQueries.class);
    /** Event name of control envelopes; not a valid application event name (starts with NUL). */
    static final String CONTROL = "\u0000ctl";
    static final String REPLY = "\u0000ctl-reply";

    enum Op { FETCH, JOIN, LEAVE, DISCONNECT }

    private final HubEngine engine;
    private final long timeoutMillis;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

    private static final class Pending {
        final List<RemoteSocket> sockets = new ArrayList<>();
        final CompletableFuture<List<RemoteSocket>> future = new CompletableFuture<>();
        int expected;
        int answers;
    }

    SocketQueries(HubEngine engine, long timeoutMillis) {
        this.engine = engine;
        this.timeoutMillis = timeoutMillis;
    }

    /** This node's peers that the targets select. */
    List<Peer> matching(Targets t) {
        List<Peer> out = new ArrayList<>();
        Set<Peer> seen = new HashSet<>();
        if (t.rooms().isEmpty()) {
            for (RealConnection c : engine.connections.view()) {
                for (Peer p : c.peers()) {
                    if (!t.excludes(p)) {
                        out.add(p);
                    }
                }
            }
            return out;
        }
        for (String room : t.rooms()) {
            for (Subscription s : engine.rooms.members(room)) {
                if (seen.add(s.peer) && !t.excludes(s.peer)) {
                    out.add(s.peer);
                }
            }
        }
        return out;
    }

    CompletableFuture<List<RemoteSocket>> fetch(Targets t, boolean local) {
        List<RemoteSocket> mine = new ArrayList<>();
        matching(t).forEach(p -> mine.add(describe(p)));
        if (local) {
            return CompletableFuture.completedFuture(mine);
        }
        String id = engine.nodeId + "-" + ids.incrementAndGet();
        Pending p = new Pending();
        p.sockets.addAll(mine);
        pending.put(id, p);
        // counting the other nodes may ask the broker's backend: off the caller's thread
        engine.background(() -> {
            int others = engine.broker.otherNodes();
            if (others == 0) {
                complete(id);
                return;
            }
            synchronized (p) {
                p.expected = others;
            }
            engine.schedule(() -> complete(id), timeoutMillis);
            publish(request(id, t, Op.FETCH, List.of(), false));
        });
        return p.future;
    }

    void act(Targets t, boolean local, Op op, List<String> rooms, boolean close) {
        rooms.forEach(r -> {
            if (!Rooms.valid(r)) {
                throw new IllegalArgumentException("invalid room name: " + r);
            }
        });
        apply(matching(t), op, rooms, close);
        if (!local) {
            publish(request(engine.nodeId + "-" + ids.incrementAndGet(), t, op, rooms, close));
        }
    }

    private static void apply(Collection<Peer> peers, Op op, List<String> rooms, boolean close) {
        for (Peer p : peers) {
            switch (op) {
                case JOIN -> rooms.forEach(p::join);
                case LEAVE -> rooms.forEach(p::leave);
                case DISCONNECT -> {
                    if (close) {
                        p.close(1000, "forced close");
                    } else {
                        p.disconnect();
                    }
                }
                case FETCH -> { }
            }
        }
    }

    private RemoteSocket describe(Peer p) {
        JsonNode data;
        try {
            data = engine.mapper.valueToTree(p.data());
        } catch (IllegalArgumentException e) {
            data = engine.mapper.createObjectNode();
        }
        return new RemoteSocket(p.id(), p.namespace(), p.userId().orElse(null), p.rooms(), data, engine.nodeId,
                p.connection().remoteIp);
    }

    private Envelope request(String id, Targets t, Op op, List<String> rooms, boolean close) {
        ObjectNode req = engine.mapper.createObjectNode();
        req.put("id", id).put("op", op.name()).put("close", close);
        ArrayNode targets = req.putArray("targets");
        t.encode().forEach(targets::add);
        ArrayNode r = req.putArray("rooms");
        rooms.forEach(r::add);
        return new Envelope(engine.nodeId, List.of(), CONTROL, req.toString(), null, 0, null,
                engine.clock.instant(), 0);
    }

    private void publish(Envelope e) {
        try {
            engine.broker.publish(e);
        } catch (RuntimeException ex) {
            log.warn("socket operation could not reach the other nodes: {}", ex.toString());
        }
    }

    /** A control envelope from another node; runs off the broker thread. */
    void onControl(Envelope e) {
        try {
            JsonNode msg = engine.mapper.readTree(e.data());
            if (REPLY.equals(e.event())) {
                answer(msg);
                return;
            }
            List<String> encoded = new ArrayList<>();
            msg.path("targets").forEach(n -> encoded.add(n.asText()));
            List<String> rooms = new ArrayList<>();
            msg.path("rooms").forEach(n -> rooms.add(n.asText()));
            Op op = Op.valueOf(msg.path("op").asText());
            List<Peer> peers = matching(Targets.decode(encoded));
            if (op != Op.FETCH) {
                apply(peers, op, rooms, msg.path("close").asBoolean());
                return;
            }
            ObjectNode reply = engine.mapper.createObjectNode();
            reply.put("id", msg.path("id").asText()).put("node", engine.nodeId);
            ArrayNode list = reply.putArray("sockets");
            peers.forEach(p -> list.add(engine.mapper.valueToTree(describe(p))));
            publish(new Envelope(engine.nodeId, List.of(), REPLY, reply.toString(), null, 0, null,
                    engine.clock.instant(), 0));
        } catch (Exception ex) {
            log.warn("control message from {} failed: {}", e.origin(), ex.toString());
        }
    }

    private void answer(JsonNode msg) throws Exception {
        Pending p = pending.get(msg.path("id").asText());
        if (p == null) {
            return; // not ours, or timed out
        }
        List<RemoteSocket> theirs = new ArrayList<>();
        for (JsonNode n : msg.path("sockets")) {
            theirs.add(engine.mapper.treeToValue(n, RemoteSocket.class));
        }
        boolean done;
        synchronized (p) {
            p.sockets.addAll(theirs);
            p.answers++;
            done = p.expected > 0 && p.answers >= p.expected;
        }
        if (done) {
            complete(msg.path("id").asText());
        }
    }

    private void complete(String id) {
        Pending p = pending.remove(id);
        if (p != null) {
            List<RemoteSocket> all;
            synchronized (p) {
                all = List.copyOf(p.sockets);
            }
            p.future.complete(all);
        }
    }
}
