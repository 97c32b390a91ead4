package dev.realtime.jakarta.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The requests of a {@link RealtimeClient} waiting for an answer (by request id), and the emits waiting in the
 * bounded offline queue for a connection. Confined to the client's event thread.
 */
final class ClientRequests {
    private final ObjectMapper mapper;
    private final ClientLoop loop;
    private final ClientWire wire;
    private final int offlineQueueSize;
    private final long ackTimeoutMillis;

    private final Map<String, Pending> pending = new HashMap<>();
    private final ArrayDeque<QueuedEmit> offline = new ArrayDeque<>();
    private long nextId;

    ClientRequests(ObjectMapper mapper, ClientLoop loop, ClientWire wire, int offlineQueueSize,
            long ackTimeoutMillis) {
        this.mapper = mapper;
        this.loop = loop;
        this.wire = wire;
        this.offlineQueueSize = offlineQueueSize;
        this.ackTimeoutMillis = ackTimeoutMillis;
    }

    /**
     * Starts a request frame {@code {type, id}}: its answer completes {@code f}. A {@code room} marks a
     * subscribe, whose answer is handled by the subscriptions; the caller adds its fields and sends it.
     */
    ObjectNode open(String type, CompletableFuture<?> f, String room) {
        String id = Long.toString(++nextId);
        pending.put(id, new Pending(f, room));
        return mapper.createObjectNode().put("type", type).put("id", id);
    }

    /** Sends an emit when connected, queues it while not (failing it when the queue is full or closed). */
    void emit(String event, JsonNode payload, CompletableFuture<JsonNode> f, RealtimeClient.State state) {
        if (state == RealtimeClient.State.CLOSED) {
            f.completeExceptionally(ClientLoop.closedException());
        } else if (state == RealtimeClient.State.OPEN) {
            send(event, payload, f);
        } else if (offline.size() >= offlineQueueSize) {
            f.completeExceptionally(new RealtimeClientException(RealtimeClientException.OFFLINE_QUEUE_FULL,
                    "not connected and " + offlineQueueSize + " emits are already queued"));
        } else {
            offline.add(new QueuedEmit(event, payload, f));
        }
    }

    /** Sends the emits queued while disconnected, oldest first. */
    void flushOffline() {
        while (!offline.isEmpty()) {
            QueuedEmit q = offline.poll();
            send(q.event, q.data, q.future);
        }
    }

    /** Removes and returns the request with this id, or {@code null}. */
    Pending take(String id) {
        return pending.remove(id);
    }

    /** Completes the request an {@code ack} or {@code unsubscribed} frame answers. */
    void answered(JsonNode msg) {
        Pending p = pending.remove(msg.path("id").asText());
        if (p != null) {
            p.complete(msg.get("data"));
        }
    }

    /** Fails pending requests (subscribes are just dropped); with {@code everything}, also queued emits. */
    void failAll(RealtimeClientException e, boolean everything) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            it.remove();
            if (p.room == null) {
                p.future.completeExceptionally(e);
            }
        }
        if (everything) {
            while (!offline.isEmpty()) {
                offline.poll().future.completeExceptionally(e);
            }
        }
    }

    private void send(String event, JsonNode data, CompletableFuture<JsonNode> f) {
        ObjectNode msg = open("emit", f, null).put("event", event);
        msg.set("data", data);
        String id = msg.get("id").asText();
        loop.schedule(() -> {
            Pending p = pending.get(id);
            if (p != null && p.future == f) {
                pending.remove(id);
                f.completeExceptionally(new RealtimeClientException(RealtimeClientException.TIMEOUT,
                        "no acknowledgement for '" + event + "' within " + ackTimeoutMillis + " ms"));
            }
        }, ackTimeoutMillis);
        wire.send(msg.toString());
    }

    /** A request waiting for its answer: an emit or unsubscribe ({@code room == null}), or a subscribe. */
    record Pending(CompletableFuture<?> future, String room) {
        @SuppressWarnings("unchecked")
        void complete(JsonNode data) {
            ((CompletableFuture<Object>) future).complete(data);
        }
    }

    private record QueuedEmit(String event, JsonNode data, CompletableFuture<JsonNode> future) {
    }
}
