package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.broker.Envelope;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine.IO v4 over WebSocket plus Socket.IO v5 on one connection: the open packet, server-initiated heartbeat,
 * namespace CONNECT/DISCONNECT, events and acknowledgements both ways, binary attachments, and connection state
 * recovery backed by the hub's recovery log. A packet that breaks the protocol closes the connection (1002 for
 * parse errors); nothing escapes to the container.
 *
 * <p>Threads: inbound frames arrive one at a time on the transport's thread; {@link #onTick} runs on the hub's
 * scheduler; emits come from anywhere. Shared fields are volatile or concurrent.
 */
final class SocketIoSession implements ProtocolSession {
    private static final Logger log = LoggerFactory.getLogger(SocketIoSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Most events replayed on recovery; a socket that missed more starts a fresh session. */
    private static final int MAX_RECOVERY = 10_000;

    final HubEngine engine;
    final RealConnection connection;
    private final SocketIoOptions options;
    private final String eioSid = randomId();
    private final Map<String, NamespaceSocket> sockets = new ConcurrentHashMap<>();
    /** A binary packet waiting for its attachments; inbound thread only. */
    private SocketIoPacket pending;
    private List<byte[]> pendingAttachments;
    /** Heartbeat state; written by the sweep and the inbound thread. */
    private volatile long pingSentAt;
    private volatile boolean awaitingPong;
    private volatile long nextPingAt;
    private volatile boolean everConnected;
    private volatile long openedAt;

    SocketIoSession(HubEngine engine, RealConnection connection, SocketIoOptions options) {
        this.engine = engine;
        this.connection = connection;
        this.options = options;
    }

    // ---- Engine.IO ----------------------------------------------------------------------------------------

    @Override
    public void onOpen() {
        long now = engine.clock.millis();
        openedAt = now;
        nextPingAt = now + options.pingInterval().toMillis();
        ObjectNode open = JsonNodeFactory.instance.objectNode();
        open.put("sid", eioSid);
        open.putArray("upgrades");
        open.put("pingInterval", options.pingInterval().toMillis());
        open.put("pingTimeout", options.pingTimeout().toMillis());
        open.put("maxPayload", options.maxPayload());
        connection.send(Frame.text("0" + open));
    }

    @Override
    public void onText(String text) {
        if (pending != null) {
            protocolError("text frame while binary attachments are pending");
            return;
        }
        if (text.isEmpty()) {
            protocolError("empty frame");
            return;
        }
        if (text.length() > options.maxPayload()) {
            engine.counters.protocolErrors.increment();
            connection.close(1009, "payload too large");
            return;
        }
        switch (text.charAt(0)) {
            case '3' -> {
                awaitingPong = false;
                nextPingAt = engine.clock.millis() + options.pingInterval().toMillis();
            }
            case '4' -> message(text.substring(1));
            case '1' -> connection.close(1000, "client close");
            case '6' -> { /* noop: polling only, harmless */ }
            case '2' -> protocolError("invalid heartbeat direction");
            default -> protocolError("unknown Engine.IO packet type");
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        if (pending == null) {
            protocolError("binary frame without a pending packet");
            return;
        }
        pendingAttachments.add(SocketIoCodec.bytes(data));
        if (pendingAttachments.size() == pending.attachments()) {
            SocketIoPacket p = pending;
            List<byte[]> atts = pendingAttachments;
            pending = null;
            pendingAttachments = null;
            try {
                JsonNode data2 = SocketIoCodec.reconstruct(p.data(), atts);
                dispatch(new SocketIoPacket(p.type() == SocketIoPacket.BINARY_EVENT ? SocketIoPacket.EVENT
                        : SocketIoPacket.ACK, p.nsp(), p.ackId(), 0, data2));
            } catch (SocketIoPacket.Malformed e) {
                protocolError(e.getMessage());
            }
        }
    }

    @Override
    public void onTick(long now) {
        if (!everConnected && now - openedAt > options.connectTimeout().toMillis()) {
            connection.close(1000, "connect timeout");
            return;
        }
        if (awaitingPong) {
            if (now - pingSentAt > options.pingTimeout().toMillis()) {
                engine.counters.heartbeatCloses.increment();
                connection.close(1000, "ping timeout");
            }
        } else if (now >= nextPingAt) {
            pingSentAt = now;
            awaitingPong = true;
            connection.send(Frame.text("2"));
        }
    }

    @Override
    public void onClose() {
        for (NamespaceSocket s : sockets.values()) {
            if (engine.recoveryLog != null && !s.explicitlyDisconnected && s.pid != null) {
                try {
                    engine.recoverable.save(new dev.realtime.core.history.RecoverySession(s.pid, s.sid, s.nsp.name(),
                            s.subscriptions.rooms(), connection.userId), options.maxDisconnectionDuration());
                } catch (RuntimeException e) {
                    log.warn("could not keep Socket.IO session {} for recovery: {}", s.sid, e.toString());
                }
            }
            s.failPendingAcks();
            engine.leaveAll(s.subscriptions);
            s.closeListeners.fire();
        }
        sockets.clear();
    }

    @Override
    public void rejected(ErrorCode code, String message) {
        ObjectNode err = JsonNodeFactory.instance.objectNode();
        err.put("status", "error").put("code", code.wire()).put("message", message);
        for (NamespaceSocket s : sockets.values()) {
            s.emit("exception", err);
        }
    }

    @Override
    public void broadcast(OutboundEvent event) {
        for (NamespaceSocket s : sockets.values()) {
            s.send(event, null);
        }
    }

    // ---- Socket.IO ----------------------------------------------------------------------------------------

    private void message(String packet) {
        SocketIoPacket p;
        try {
            p = SocketIoPacket.decode(packet, engine.mapper);
        } catch (SocketIoPacket.Malformed e) {
            protocolError(e.getMessage());
            return;
        }
        if (p.type() == SocketIoPacket.BINARY_EVENT || p.type() == SocketIoPacket.BINARY_ACK) {
            if (p.attachments() == 0) {
                dispatch(new SocketIoPacket(p.type() - 3, p.nsp(), p.ackId(), 0, p.data()));
                return;
            }
            pending = p;
            pendingAttachments = new ArrayList<>(p.attachments());
            return;
        }
        dispatch(p);
    }

    private void dispatch(SocketIoPacket p) {
        switch (p.type()) {
            case SocketIoPacket.CONNECT -> connect(p);
            case SocketIoPacket.DISCONNECT -> {
                NamespaceSocket s = sockets.remove(p.nsp());
                if (s != null) {
                    s.explicitlyDisconnected = true;
                    s.failPendingAcks();
                    engine.leaveAll(s.subscriptions);
                    s.closeListeners.fire();
                }
            }
            case SocketIoPacket.EVENT -> event(p);
            case SocketIoPacket.ACK -> {
                NamespaceSocket s = sockets.get(p.nsp());
                if (s != null) {
                    s.ackArrived(p.ackId(), p.data());
                }
            }
            default -> protocolError("unexpected packet type " + p.type());
        }
    }

    private void connect(SocketIoPacket p) {
        NamespaceImpl nsp = engine.namespaces.get(p.nsp());
        String prefix = "/".equals(p.nsp()) ? "" : p.nsp() + ",";
        if (nsp == null) {
            connection.send(Frame.text(SocketIoCodec.connectError(prefix, "Invalid namespace", null)));
            return;
        }
        if (sockets.containsKey(nsp.name())) {
            return; // already connected to this namespace
        }
        JsonNode auth = p.data() != null ? p.data() : JsonNodeFactory.instance.objectNode();
        if (engine.authenticator != null) {
            Optional<String> token = auth.path("token").isTextual() ? Optional.of(auth.path("token").asText())
                    : Tokens.fromHandshake(connection.handshake);
            try {
                if (token.isPresent()) {
                    connection.authenticate(token.get());
                } else if (connection.principal == null) {
                    throw new RealtimeException(ErrorCode.UNAUTHORIZED, "missing token");
                }
            } catch (RealtimeException e) {
                JsonNode data = JsonNodeFactory.instance.objectNode().put("code", e.code().wire());
                connection.send(Frame.text(SocketIoCodec.connectError(nsp.prefix, e.getMessage(), data)));
                return;
            }
        }
        Optional<dev.realtime.core.history.RecoverySession> previous = recoverable(auth, nsp);
        NamespaceSocket socket = previous
                .map(r -> new NamespaceSocket(this, nsp, r.sid(), r.pid()))
                .orElseGet(() -> new NamespaceSocket(this, nsp, randomId(),
                        engine.recoveryLog != null ? randomId() : null));
        try {
            nsp.fireConnect(socket, auth, previous.isPresent());
        } catch (RealtimeException e) {
            JsonNode data = JsonNodeFactory.instance.objectNode().put("code", e.code().wire());
            connection.send(Frame.text(SocketIoCodec.connectError(nsp.prefix, e.getMessage(), data)));
            return;
        } catch (RuntimeException e) {
            log.error("connect listener of {} failed", nsp.name(), e);
            JsonNode data = JsonNodeFactory.instance.objectNode().put("code", ErrorCode.INTERNAL.wire());
            connection.send(Frame.text(SocketIoCodec.connectError(nsp.prefix, "internal error", data)));
            return;
        }
        sockets.put(nsp.name(), socket);
        everConnected = true;
        if (previous.isPresent()) {
            restore(socket, previous.get(), auth);
            return;
        }
        connection.send(Frame.text(SocketIoCodec.connect(nsp.prefix, socket.sid, socket.pid)));
        socket.connected();
    }

    /** The session a CONNECT with {@code pid}/{@code offset} asks to recover, if it can be. */
    private Optional<dev.realtime.core.history.RecoverySession> recoverable(JsonNode auth, NamespaceImpl nsp) {
        if (engine.recoveryLog == null || !auth.path("pid").isTextual() || !auth.path("offset").isTextual()) {
            return Optional.empty();
        }
        long offset = parseOffset(auth.path("offset").asText());
        if (offset < 0) {
            return Optional.empty();
        }
        Optional<dev.realtime.core.history.RecoverySession> taken;
        try {
            taken = engine.recoverable.take(auth.path("pid").asText());
        } catch (RuntimeException e) {
            log.warn("recovery session lookup failed: {}", e.toString());
            return Optional.empty();
        }
        if (taken.isPresent() && (!taken.get().namespace().equals(nsp.name())
                || !java.util.Objects.equals(taken.get().userId(), connection.userId))) {
            // not this socket's to recover (recovery never hands one user's rooms to another): put it back
            engine.recoverable.save(taken.get(), options.maxDisconnectionDuration());
            return Optional.empty();
        }
        return taken.filter(r -> engine.recoveryLog.readAfter(offset, MAX_RECOVERY).isPresent());
    }

    /**
     * Restores rooms and replays what the socket missed: rooms are joined buffering, the recovery log is read
     * after the client's offset, the CONNECT reply and the missed events are sent, then the buffers drain
     * skipping what the replay sent.
     */
    private void restore(NamespaceSocket socket, dev.realtime.core.history.RecoverySession r, JsonNode auth) {
        long offset = parseOffset(auth.path("offset").asText());
        List<Subscription> joined = new ArrayList<>();
        for (String room : r.rooms()) {
            if (!engine.policy.mayJoin(socket, room)) {
                continue; // authorization is checked again on recovery
            }
            Subscription s = new Subscription(socket, room, engine.history, true);
            socket.subscriptions.put(room, s);
            engine.rooms.add(s);
            joined.add(s);
        }
        Optional<List<Envelope>> missed = engine.recoveryLog.readAfter(offset, MAX_RECOVERY);
        if (missed.isEmpty()) {
            // the log moved past the offset since the pre-check: same rooms, but a new pid tells the client
            // that it did not recover
            socket.pid = randomId();
            connection.send(Frame.text(SocketIoCodec.connect(socket.nsp.prefix, socket.sid, socket.pid)));
            socket.connected();
            for (Subscription s : joined) {
                s.goLive(0, null, 0);
            }
            return;
        }
        connection.send(Frame.text(SocketIoCodec.connect(socket.nsp.prefix, socket.sid, socket.pid)));
        Set<String> rooms = new HashSet<>(socket.subscriptions.rooms());
        long last = offset;
        for (Envelope e : missed.get()) {
            last = e.logId();
            boolean mine = e.rooms().isEmpty();
            for (String room : e.rooms()) {
                if (rooms.contains(room)) {
                    mine = true;
                    break;
                }
            }
            if (mine) {
                socket.send(Events.fromEnvelope(e), null);
            }
        }
        socket.connected();
        for (Subscription s : joined) {
            s.goLive(0, null, last);
        }
    }

    private void event(SocketIoPacket p) {
        NamespaceSocket socket = sockets.get(p.nsp());
        if (socket == null) {
            return; // not connected to that namespace: ignored, as the reference server does
        }
        ArrayNode args = (ArrayNode) p.data();
        String event = args.get(0).asText();
        JsonNode payload = args.size() > 1 ? args.get(1) : null;
        long ackId = p.ackId();
        engine.handlers.dispatch(socket.nsp.scope, event, socket, payload, new HandlerRegistry.Reply() {
            @Override
            public void ok(Object result) {
                if (ackId >= 0) {
                    socket.sendFrame(SocketIoCodec.ack(engine.mapper, socket.nsp.prefix, ackId, result));
                }
            }

            @Override
            public void error(ErrorCode code, String message) {
                engine.counters.protocolErrors.increment();
                ObjectNode err = JsonNodeFactory.instance.objectNode();
                if (ackId >= 0) {
                    err.putObject("error").put("code", code.wire()).put("message", message);
                    socket.sendFrame(SocketIoCodec.ack(engine.mapper, socket.nsp.prefix, ackId, err));
                } else {
                    err.put("status", "error").put("code", code.wire()).put("message", message).put("event", event);
                    socket.emit("exception", err);
                }
            }
        });
    }

    private void protocolError(String reason) {
        engine.counters.protocolErrors.increment();
        log.debug("connection {}: Socket.IO protocol error: {}", connection.id, reason);
        connection.close(1002, reason.length() > 100 ? reason.substring(0, 100) : reason);
    }

    private static long parseOffset(String s) {
        try {
            return Long.parseLong(s, 36);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String randomId() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
