package dev.realtime.core.internal;

import dev.realtime.core.Rooms;
import dev.realtime.core.Timestamps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.Handshake;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.history.StreamPosition;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The native JSON protocol on one connection (see DESIGN.md): the connection is its only peer. Inbound frames
 * are parsed and routed here; every bad input gets an {@code error} frame with a code and the connection stays
 * open, except binary frames (close 1003) and oversized frames (close 1009, checked by the connection).
 */
final class NativeSession implements ProtocolSession, Peer {
    private final HubEngine engine;
    private final RealConnection connection;
    private final NativeCodec codec;
    private final Subscriptions subscriptions = new Subscriptions();
    private final CloseListeners closeListeners = new CloseListeners();
    private final java.util.concurrent.ConcurrentMap<String, Object> data = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Set once the default namespace's middlewares admitted this client and its greeting is queued: its disconnect
     * listeners then run, and heartbeat pings may go out (none precedes the greeting, the first frame).
     */
    private volatile boolean admitted;
    /** Clock millis of the last ping sent (the session's creation until the first); the sweep thread's after that. */
    private long lastPing;

    NativeSession(HubEngine engine, RealConnection connection) {
        this.engine = engine;
        this.connection = connection;
        this.codec = engine.nativeCodec;
        this.lastPing = engine.clock.millis();
    }

    // ---- ProtocolSession ------------------------------------------------------------------------------

    @Override
    public void onOpen() {
        if (engine.authenticator == null) {
            greet();
            return;
        }
        Optional<String> token = Tokens.fromHandshake(connection.handshake);
        if (token.isEmpty()) {
            return; // the first message must be {"type":"auth","token":"..."}
        }
        try {
            connection.authenticate(token.get());
            greet();
        } catch (RealtimeException e) {
            error(null, e.code(), e.getMessage());
            connection.close(1008, e.code().wire());
        }
    }

    /**
     * Admits the client through the default namespace's middlewares (a rejection is an {@code error} frame with
     * its code, then close 1008), greets it, and runs the default namespace's connect listeners.
     */
    private void greet() {
        NamespaceImpl root = engine.namespaces.get("/");
        if (root != null) {
            try {
                root.admit(this);
            } catch (RealtimeException e) {
                error(null, e.code(), e.getMessage());
                connection.close(1008, e.code().wire());
                return;
            }
        }
        String ts = Timestamps.format(engine.clock.instant());
        sendText(codec.connection(connection.id, ts, engine.settings.heartbeatInterval().toMillis()));
        admitted = true;
        if (root != null) {
            try {
                root.fireConnect(this, auth(), false);
            } catch (RealtimeException e) {
                error(null, e.code(), e.getMessage());
                connection.close(1008, e.code().wire());
            }
        }
    }

    /** {@code {"type":"auth","token":"..."}}: first-message authentication, or a token refresh later. */
    private void auth(String id, JsonNode msg) {
        JsonNode t = msg.get("token");
        if (engine.authenticator == null) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "authentication is not enabled on this server");
        }
        if (t == null || !t.isTextual()) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "missing string field 'token'");
        }
        boolean first = connection.principal == null;
        dev.realtime.core.security.Principal p;
        try {
            p = connection.authenticate(t.asText());
        } catch (RealtimeException e) {
            if (first) {
                error(id, e.code(), e.getMessage());
                connection.close(1008, e.code().wire());
                return;
            }
            throw e;
        }
        if (first) {
            greet();
        } else {
            StringBuilder sb = new StringBuilder("{\"type\":\"authenticated\"");
            if (id != null) {
                sb.append(",\"id\":");
                NativeCodec.quote(sb, id);
            }
            sb.append(",\"userId\":");
            NativeCodec.quote(sb, p.userId());
            if (p.expiresAt() != null) {
                sb.append(",\"expiresAt\":");
                NativeCodec.quote(sb, Timestamps.format(p.expiresAt()));
            }
            sendText(sb.append('}').toString());
            recheckRooms();
        }
    }

    /**
     * After a token refresh the new token may grant less (a role removed): every room is checked again with the
     * policy, and the client is told about each room it lost ({@code unsubscribed} with reason, then a
     * {@code forbidden} error naming the room).
     */
    private void recheckRooms() {
        for (String room : subscriptions.rooms()) {
            if (!engine.policy.mayJoin(this, room)) {
                engine.membership.unsubscribe(subscriptions, room);
                sendText(codec.unsubscribed(null, room));
                error(null, ErrorCode.FORBIDDEN, "the refreshed token no longer allows " + room);
            }
        }
    }

    @Override
    public void rejected(ErrorCode code, String message) {
        error(null, code, message);
    }

    @Override
    public void onText(String text) {
        JsonNode msg;
        try {
            msg = engine.mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            error(null, ErrorCode.TOO_LARGE, "message exceeds limits: " + HandlerRegistry.firstLine(e.getOriginalMessage()));
            return;
        } catch (JsonProcessingException e) {
            error(null, ErrorCode.BAD_REQUEST, "malformed JSON: " + HandlerRegistry.firstLine(e.getOriginalMessage()));
            return;
        }
        if (msg == null || !msg.isObject()) {
            error(null, ErrorCode.BAD_REQUEST, "a message must be a JSON object");
            return;
        }
        String id = idOf(msg.get("id"));
        JsonNode typeNode = msg.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            error(id, ErrorCode.BAD_REQUEST, "missing string field 'type'");
            return;
        }
        if (!connection.authenticated() && !"auth".equals(typeNode.asText())) {
            error(id, ErrorCode.UNAUTHORIZED, "authenticate first: {\"type\":\"auth\",\"token\":\"...\"}");
            connection.close(1008, "unauthorized");
            return;
        }
        try {
            switch (typeNode.asText()) {
                case "auth" -> auth(id, msg);
                case "subscribe" -> subscribe(id, msg);
                case "unsubscribe" -> unsubscribe(id, msg);
                case "emit" -> emit(id, msg);
                case "pong" -> { /* lastInbound already updated */ }
                case "ping" -> sendText(NativeCodec.PONG);
                default -> error(id, ErrorCode.BAD_REQUEST, "unknown message type '" + clip(typeNode.asText()) + "'");
            }
        } catch (RealtimeException e) {
            error(id, e.code(), e.getMessage());
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        engine.counters.protocolErrors.increment();
        connection.close(1003, "binary frames are not supported");
    }

    @Override
    public void onTick(long now) {
        long interval = engine.settings.heartbeatInterval().toMillis();
        if (now - connection.lastInbound > interval + engine.settings.heartbeatTimeout().toMillis()) {
            engine.counters.heartbeatCloses.increment();
            connection.close(1001, "heartbeat timeout");
            return;
        }
        if (admitted && now - lastPing >= interval) {
            lastPing = now;
            sendText(NativeCodec.PING);
        }
    }

    @Override
    public void onClose() {
        engine.membership.leaveAll(subscriptions);
        closeListeners.fire();
        NamespaceImpl root = engine.namespaces.get("/");
        if (admitted && root != null) {
            root.fireDisconnect(this, connection.reason());
        }
    }

    @Override
    public java.util.Collection<Peer> peers() {
        return java.util.List.of(this);
    }

    @Override
    public boolean inRoom(String key) {
        return subscriptions.get(key) != null;
    }

    @Override
    public java.util.concurrent.ConcurrentMap<String, Object> data() {
        return data;
    }

    @Override
    public dev.realtime.core.SubscribeResult subscribe(String room, dev.realtime.core.history.StreamPosition since) {
        return engine.membership.subscribe(this, subscriptions, null, room, since == null ? null : since.offset(),
                since == null ? null : since.epoch());
    }

    @Override
    public Runnable onClose(Runnable listener) {
        return closeListeners.add(listener);
    }

    @Override
    public void broadcast(OutboundEvent event) {
        connection.send(Frame.text(codec.event(event).text()));
    }

    // ---- messages ---------------------------------------------------------------------------------------

    private void subscribe(String id, JsonNode msg) {
        String room = room(msg);
        Long since = null;
        JsonNode s = msg.get("since");
        if (s != null && !s.isNull()) {
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                throw new RealtimeException(ErrorCode.BAD_REQUEST, "'since' must be a non-negative integer");
            }
            since = s.asLong();
        }
        JsonNode e = msg.get("epoch");
        String epoch = e != null && e.isTextual() ? e.asText() : null;
        engine.membership.subscribe(this, subscriptions, id, room, since, epoch);
    }

    private void unsubscribe(String id, JsonNode msg) {
        String room = room(msg);
        engine.membership.unsubscribe(subscriptions, room);
        sendText(codec.unsubscribed(id, room));
    }

    private void emit(String id, JsonNode msg) {
        JsonNode ev = msg.get("event");
        if (ev == null || !ev.isTextual() || ev.asText().isEmpty()) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "missing string field 'event'");
        }
        JsonNode data = msg.get("data");
        com.fasterxml.jackson.databind.node.ArrayNode args = engine.mapper.createArrayNode();
        if (data != null) {
            args.add(data);
        }
        engine.handlers.dispatch("", ev.asText(), this, args, new HandlerRegistry.Reply() {
            @Override
            public void ok(Object result) {
                if (id != null) {
                    Object value = result instanceof dev.realtime.core.Ack ack
                            ? (ack.values().isEmpty() ? null : ack.values().get(0)) : result;
                    sendText(codec.ack(id, value == null ? "null" : engine.json(value)));
                }
            }

            @Override
            public void error(ErrorCode code, String message) {
                NativeSession.this.error(id, code, message);
            }
        });
    }

    private String room(JsonNode msg) {
        JsonNode r = msg.get("room");
        if (r == null || !r.isTextual()) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "missing string field 'room'");
        }
        String room = r.asText();
        if (!Rooms.valid(room)) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "invalid room name '" + clip(room) + "'");
        }
        return room;
    }

    private void error(String id, ErrorCode code, String message) {
        engine.counters.protocolErrors.increment();
        sendText(codec.error(id, code, message));
    }

    private static String idOf(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        return id.isValueNode() ? clip(id.asText()) : null;
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    private void sendText(String text) {
        connection.send(Frame.text(text));
    }

    // ---- Peer / Client ----------------------------------------------------------------------------------

    @Override
    public RealConnection connection() {
        return connection;
    }

    @Override
    public void send(OutboundEvent event, String room) {
        connection.send(codec.event(event));
    }

    @Override
    public void subscribed(String requestId, String room, StreamPosition position, Boolean recovered) {
        sendText(codec.subscribed(requestId, room, position, recovered));
    }

    @Override
    public String id() {
        return connection.id;
    }

    @Override
    public Optional<String> userId() {
        return connection.userId();
    }

    @Override
    public Handshake handshake() {
        return connection.handshake;
    }

    @Override
    public Set<String> rooms() {
        return subscriptions.rooms();
    }

    @Override
    public boolean emit(String event, Object data) {
        return connection.send(Frame.text(codec.direct(event, engine.json(data))));
    }

    @Override
    public void join(String room) {
        engine.membership.join(this, subscriptions, room);
    }

    @Override
    public void leave(String room) {
        engine.membership.unsubscribe(subscriptions, room);
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close(int code, String reason) {
        connection.close(code, reason);
    }
}
