package dev.realtime.jakarta.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.history.StreamPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms a {@link RealtimeClient} is subscribed to and the last offset and epoch it saw in each: subscribes
 * (again after every reconnect, resuming from that position), drops events already seen, and reports resumes
 * that were not gap-free. Confined to the client's event thread, except {@link #position}, readable from any.
 */
final class ClientSubscriptions {
    private static final Logger log = LoggerFactory.getLogger(RealtimeClient.class);

    private final ClientRequests requests;
    private final ClientWire wire;
    private final ClientListeners listeners;
    private final Map<String, RoomState> rooms = new LinkedHashMap<>();
    /** Last position per subscribed history room, readable from any thread. */
    private final ConcurrentHashMap<String, StreamPosition> positions = new ConcurrentHashMap<>();

    ClientSubscriptions(ClientRequests requests, ClientWire wire, ClientListeners listeners) {
        this.requests = requests;
        this.wire = wire;
        this.listeners = listeners;
    }

    /** The last offset and epoch seen in a subscribed history room. */
    Optional<StreamPosition> position(String room) {
        return Optional.ofNullable(positions.get(room));
    }

    /**
     * Subscribes to {@code room} (resuming after {@code since} in {@code epoch} when {@code since} is given);
     * {@code f} completes when the server confirms, at once if it already has. Sends now if {@code open}.
     */
    void subscribe(String room, Long since, String epoch, CompletableFuture<SubscribeResult> f, boolean open) {
        RoomState rs = rooms.get(room);
        if (rs == null) {
            rs = new RoomState(room);
            rooms.put(room, rs);
        }
        if (since != null) {
            rs.offset = since;
            rs.epoch = epoch;
            rs.confirmed = null;
        }
        if (rs.confirmed != null) {
            f.complete(rs.confirmed);
            return;
        }
        rs.waiters.add(f);
        if (open && !rs.inFlight) {
            sendSubscribe(rs);
        }
    }

    /** Forgets a room, failing whoever still waits for its subscribe with {@code e}. */
    void remove(String room, RealtimeClientException e) {
        RoomState rs = rooms.remove(room);
        positions.remove(room);
        if (rs != null) {
            rs.waiters.forEach(w -> w.completeExceptionally(e));
        }
    }

    /** After the server's greeting: subscribes every room again, from its last position. */
    void resubscribeAll() {
        for (RoomState rs : rooms.values()) {
            sendSubscribe(rs);
        }
    }

    /** The connection is gone: every room must be subscribed (and confirmed) again. */
    void connectionLost() {
        for (RoomState rs : rooms.values()) {
            rs.inFlight = false;
            rs.confirmed = null;
        }
    }

    /** Fails every subscribe still waiting for its confirmation. */
    void failWaiters(RealtimeClientException e) {
        for (RoomState rs : rooms.values()) {
            rs.waiters.forEach(w -> w.completeExceptionally(e));
            rs.waiters.clear();
        }
    }

    /** A {@code subscribed} frame answering the subscribe {@code p} (or nothing, if {@code null}). */
    void subscribed(JsonNode msg, ClientRequests.Pending p) {
        String room = msg.path("room").asText();
        RoomState rs = rooms.get(room);
        if (rs == null || p == null || p.room() == null) {
            return; // unsubscribed meanwhile
        }
        rs.inFlight = false;
        String epoch = msg.hasNonNull("epoch") ? msg.get("epoch").asText() : null;
        long top = msg.path("offset").asLong(0);
        Boolean recovered = msg.has("recovered") ? msg.get("recovered").asBoolean() : null;
        if (epoch != null) {
            if (recovered == null) {
                rs.epoch = epoch; // fresh subscribe: live from the top
                rs.offset = top;
            } else if (recovered) {
                rs.epoch = epoch; // replay of (offset, top] follows
            } else {
                rs.epoch = epoch; // a gap: the latest event follows
                rs.offset = Math.max(0, top - 1);
            }
            positions.put(room, new StreamPosition(rs.offset, epoch));
        }
        SubscribeResult result = new SubscribeResult(room, epoch, top, recovered);
        rs.confirmed = result;
        List<CompletableFuture<SubscribeResult>> waiters = new ArrayList<>(rs.waiters);
        rs.waiters.clear();
        waiters.forEach(w -> w.complete(result));
        if (Boolean.FALSE.equals(recovered) && epoch != null) {
            log.info("resume of {} was not gap-free: history no longer reaches back", room);
            listeners.gap(room, epoch, top);
        }
    }

    /** Records an event's position in its room; {@code false} if it was seen already (a duplicate to drop). */
    boolean advance(RealtimeEvent e) {
        RoomState rs = e.room() == null ? null : rooms.get(e.room());
        if (rs != null && e.epoch() != null && e.offset() > 0) {
            if (e.epoch().equals(rs.epoch) && e.offset() <= rs.offset) {
                return false;
            }
            rs.epoch = e.epoch();
            rs.offset = e.offset();
            positions.put(e.room(), new StreamPosition(e.offset(), e.epoch()));
        }
        return true;
    }

    private void sendSubscribe(RoomState rs) {
        ObjectNode msg = requests.open("subscribe", new CompletableFuture<>(), rs.room).put("room", rs.room);
        if (rs.offset >= 0) {
            msg.put("since", rs.offset);
            if (rs.epoch != null && !"none".equals(rs.epoch)) {
                msg.put("epoch", rs.epoch); // a stream never written has no real epoch yet: replay from its start
            }
        }
        rs.inFlight = true;
        wire.send(msg.toString());
    }

    /** Client-side state of one subscribed room. */
    private static final class RoomState {
        final String room;
        /** Last offset seen (history rooms), or -1 when unknown. */
        long offset = -1;
        String epoch;
        boolean inFlight;
        SubscribeResult confirmed;
        final List<CompletableFuture<SubscribeResult>> waiters = new ArrayList<>();

        RoomState(String room) {
            this.room = room;
        }
    }
}
