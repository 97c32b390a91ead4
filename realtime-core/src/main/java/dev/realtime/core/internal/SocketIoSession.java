package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.SocketIoOptions;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
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

    final HubEngine engine;
    final RealConnection connection;
    private final SocketIoOptions options;
    /** The Engine.IO sid: the polling transport's when the session started on polling. */
    private final String eioSid;
    private final EngineIoHeartbeat heartbeat;
    private final SocketIoRecovery recovery;
    /** The namespaces this connection joined, by name (usually one). */
    private final CompactMap<NamespaceSocket> sockets = new CompactMap<>();
    /** A binary packet waiting for its attachments; inbound thread only. */
    private SocketIoPacket pending;
    private List<byte[]> pendingAttachments;

    SocketIoSession(HubEngine engine, RealConnection connection, SocketIoOptions options) {
        this.engine = engine;
        this.connection = connection;
        this.options = options;
        this.eioSid = connection.transport instanceof EngineIoTransport polling ? polling.sid : randomId();
        this.heartbeat = new EngineIoHeartbeat(engine, connection, options);
        this.recovery = new SocketIoRecovery(engine, connection, options);
    }

    // ---- Engine.IO ----------------------------------------------------------------------------------------

    @Override
    public void onOpen() {
        ObjectNode open = JsonNodeFactory.instance.objectNode();
        open.put("sid", eioSid);
        ArrayNode upgrades = open.putArray("upgrades");
        if (connection.transport instanceof EngineIoTransport) {
            upgrades.add("websocket");
        }
        open.put("pingInterval", options.pingInterval().toMillis());
        open.put("pingTimeout", options.pingTimeout().toMillis());
        open.put("maxPayload", options.maxPayload());
        connection.send(Frame.text("0" + open));
        heartbeat.start();
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
            case '3' -> heartbeat.pong();
            case '4' -> message(text.substring(1));
            case '1' -> {
                connection.reason(dev.realtime.core.DisconnectReason.TRANSPORT_CLOSE);
                connection.close(1000, "client close");
            }
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
        // Engine.IO's timers live in the hub's timer wheel (EngineIoHeartbeat), not in the sweep
    }

    /**
     * Writes a socket's recovery state (pid, sid, rooms) to the hub's recovery session store when it changes,
     * not only at close, when the store is shared: a client whose poll lands on another node (no sticky sessions),
     * or whose node dies, recovers there while this session has not noticed yet. A node-local store only gets it at
     * close.
     */
    void remember(NamespaceSocket s) {
        if (engine.recoveryLog != null && engine.recoverable.sharedAcrossNodes()) {
            save(s);
        }
    }

    private void save(NamespaceSocket s) {
        if (engine.recoveryLog != null && !s.explicitlyDisconnected && s.pid != null) {
            try {
                engine.recoverable.save(new dev.realtime.core.history.RecoverySession(s.pid, s.sid, s.nsp.name(),
                        s.subscriptions.rooms(), connection.userId), options.maxDisconnectionDuration());
            } catch (RuntimeException e) {
                log.warn("could not keep Socket.IO session {} for recovery: {}", s.sid, e.toString());
            }
        }
    }

    @Override
    public void onClose() {
        heartbeat.stop();
        dev.realtime.core.DisconnectReason reason = connection.reason();
        for (NamespaceSocket s : sockets.clear()) {
            save(s);
            s.gone(reason);
        }
    }

    @Override
    public java.util.Collection<Peer> peers() {
        return java.util.List.copyOf(sockets.values());
    }

    /** The server removes a socket from its namespace: DISCONNECT packet, rooms left, listeners told. */
    void disconnect(NamespaceSocket s) {
        if (sockets.remove(s.nsp.name(), s)) {
            s.explicitlyDisconnected = true;
            connection.send(Frame.text("41" + s.nsp.prefix));
            s.gone(dev.realtime.core.DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
        }
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
                    s.gone(dev.realtime.core.DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
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
        Optional<dev.realtime.core.history.RecoverySession> previous = recovery.find(auth, nsp);
        NamespaceSocket socket = previous
                .map(r -> new NamespaceSocket(this, nsp, r.sid(), r.pid(), auth))
                .orElseGet(() -> new NamespaceSocket(this, nsp, randomId(),
                        engine.recoveryLog != null ? randomId() : null, auth));
        try {
            nsp.admit(socket);
            nsp.fireConnect(socket, auth, previous.isPresent());
        } catch (RealtimeException e) {
            connection.send(Frame.text(SocketIoCodec.connectError(nsp.prefix, e.getMessage(), errorData(e))));
            return;
        } catch (RuntimeException e) {
            log.error("connect listener of {} failed", nsp.name(), e);
            JsonNode data = JsonNodeFactory.instance.objectNode().put("code", ErrorCode.INTERNAL.wire());
            connection.send(Frame.text(SocketIoCodec.connectError(nsp.prefix, "internal error", data)));
            return;
        }
        sockets.put(nsp.name(), socket);
        heartbeat.connected();
        if (previous.isPresent()) {
            recovery.restore(socket, previous.get(), auth);
            remember(socket);
            return;
        }
        connection.send(Frame.text(SocketIoCodec.connect(nsp.prefix, socket.sid, socket.pid)));
        socket.connected();
        remember(socket);
    }

    /** A rejection's {@code data}: the exception's own data when it has some, else {@code {"code": ...}}. */
    private JsonNode errorData(RealtimeException e) {
        if (e.data() != null) {
            try {
                return engine.mapper.valueToTree(e.data());
            } catch (IllegalArgumentException ex) {
                log.warn("rejection data does not serialize: {}", ex.toString());
            }
        }
        return JsonNodeFactory.instance.objectNode().put("code", e.code().wire());
    }

    private void event(SocketIoPacket p) {
        NamespaceSocket socket = sockets.get(p.nsp());
        if (socket == null) {
            return; // not connected to that namespace: ignored, as the reference server does
        }
        ArrayNode args = (ArrayNode) p.data();
        String event = args.get(0).asText();
        ArrayNode rest = JsonNodeFactory.instance.arrayNode(args.size() - 1);
        for (int i = 1; i < args.size(); i++) {
            rest.add(args.get(i));
        }
        long ackId = p.ackId();
        engine.handlers.dispatch(socket.nsp.scope, event, socket, rest, new HandlerRegistry.Reply() {
            @Override
            public void unknown(String name) {
                // as the reference server: an event nobody handles gets no answer, so the client's ack timeout fires
            }

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

    static String randomId() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
