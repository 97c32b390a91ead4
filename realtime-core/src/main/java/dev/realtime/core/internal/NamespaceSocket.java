package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.Handshake;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.history.StreamPosition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Socket.IO socket: a connection's membership of one namespace. It is the {@link dev.realtime.core.Client}
 * handlers see and the {@link Peer} rooms deliver to. Emits made before the CONNECT reply went out (greetings from
 * connect listeners) are held and flushed right after it.
 */
final class NamespaceSocket implements Peer {
    final SocketIoSession session;
    final NamespaceImpl nsp;
    final String sid;
    /** Private session id for recovery; replaced when a recovery attempt fails late. */
    volatile String pid;
    final Subscriptions subscriptions = new Subscriptions();
    final CloseListeners closeListeners = new CloseListeners();
    private final AtomicLong ackIds = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pendingAcks = new ConcurrentHashMap<>();
    /** Frames emitted before the CONNECT reply; null once connected. Guarded by this. */
    private List<Frame> early = new ArrayList<>();
    /** Set by an explicit namespace DISCONNECT: such a socket is not recoverable. */
    volatile boolean explicitlyDisconnected;

    NamespaceSocket(SocketIoSession session, NamespaceImpl nsp, String sid, String pid) {
        this.session = session;
        this.nsp = nsp;
        this.sid = sid;
        this.pid = pid;
    }

    /** Sends the held frames after the CONNECT reply and sends directly from now on. */
    void connected() {
        List<Frame> held;
        synchronized (this) {
            held = early;
            early = null;
        }
        held.forEach(session.connection::send);
    }

    void sendFrame(Frame f) {
        synchronized (this) {
            if (early != null) {
                early.add(f);
                return;
            }
        }
        session.connection.send(f);
    }

    void ackArrived(long id, JsonNode args) {
        CompletableFuture<JsonNode> f = pendingAcks.remove(id);
        if (f != null) {
            f.complete(args);
        }
    }

    void failPendingAcks() {
        pendingAcks.values().forEach(f -> f.completeExceptionally(
                new RealtimeException(ErrorCode.UNAVAILABLE, "socket disconnected")));
        pendingAcks.clear();
    }

    // ---- Peer -------------------------------------------------------------------------------------------

    @Override
    public RealConnection connection() {
        return session.connection;
    }

    @Override
    public void send(OutboundEvent event, String room) {
        sendFrame(new Frame(nsp.encode(event), List.of(), event.conflationKey));
    }

    @Override
    public void subscribed(String requestId, String room, StreamPosition position, Boolean recovered) {
        // Socket.IO answers subscriptions through the handler's acknowledgement
    }

    // ---- Client -----------------------------------------------------------------------------------------

    @Override
    public String id() {
        return sid;
    }

    @Override
    public Optional<String> userId() {
        return session.connection.userId();
    }

    @Override
    public Handshake handshake() {
        return session.connection.handshake;
    }

    @Override
    public Set<String> rooms() {
        return subscriptions.rooms();
    }

    @Override
    public void emit(String event, Object data) {
        sendFrame(SocketIoCodec.event(session.engine.mapper, nsp.prefix, -1, event, data));
    }

    @Override
    public CompletableFuture<JsonNode> emitWithAck(String event, Object data, Duration timeout) {
        long id = ackIds.getAndIncrement();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pendingAcks.put(id, f);
        f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> pendingAcks.remove(id));
        sendFrame(SocketIoCodec.event(session.engine.mapper, nsp.prefix, id, event, data));
        return f;
    }

    @Override
    public void join(String room) {
        session.engine.join(this, subscriptions, room);
        session.remember(this);
    }

    @Override
    public void leave(String room) {
        session.engine.unsubscribe(subscriptions, room);
        session.remember(this);
    }

    @Override
    public Runnable onClose(Runnable listener) {
        return closeListeners.add(listener);
    }

    @Override
    public boolean isOpen() {
        return session.connection.isOpen() && !explicitlyDisconnected;
    }

    @Override
    public void close(int code, String reason) {
        session.connection.close(code, reason);
    }

    /** Binary payloads in {@code data} (byte[] or ByteBuffer) go out as attachments. */
    static boolean hasBinary(Object data) {
        return data instanceof byte[] || data instanceof ByteBuffer;
    }
}
