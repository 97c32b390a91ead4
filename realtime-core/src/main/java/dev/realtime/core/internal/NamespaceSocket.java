package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.realtime.core.Arguments;
import dev.realtime.core.DisconnectReason;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.Handshake;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.SubscribeResult;
import dev.realtime.core.broker.Envelope;
import dev.realtime.core.history.StreamPosition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One Socket.IO socket: a connection's membership of one namespace. It is the {@link dev.realtime.core.Client}
 * handlers see and the {@link Peer} rooms deliver to. Emits made before the CONNECT reply went out (greetings from
 * connect listeners) are held and flushed right after it. Application rooms are keyed by namespace
 * ({@link NamespaceImpl#roomKey}); streams by their own name.
 */
final class NamespaceSocket implements Peer {
    final SocketIoSession session;
    final NamespaceImpl nsp;
    final String sid;
    /** Private session id for recovery; replaced when a recovery attempt fails late. */
    volatile String pid;
    /** The CONNECT auth payload; null when the client sent none ({@link #auth()} then answers an empty object). */
    private final JsonNode auth;
    final Subscriptions subscriptions = new Subscriptions();
    final CloseListeners closeListeners = new CloseListeners();
    /** The application's per-socket data; created on first use (most sockets never have any). */
    private volatile ConcurrentMap<String, Object> data;
    /** The next server-to-client ack id; through ACK_IDS. */
    @SuppressWarnings("unused")
    private volatile long ackIds;
    /** Server-to-client acks awaited; created on the first emitWithAck. */
    private volatile Map<Long, CompletableFuture<JsonNode>> pendingAcks;
    /** The session's connection, held here so a fan-out reaches its queue without a hop through the session. */
    private final RealConnection connection;
    /**
     * Frames emitted before the CONNECT reply; null once connected (then read without the lock: a fan-out to a
     * connected socket takes no monitor). Changed under this.
     */
    private volatile List<Frame> early = new ArrayList<>();
    /** Set by an explicit namespace DISCONNECT: such a socket is not recoverable. */
    volatile boolean explicitlyDisconnected;
    /** Set once the socket left its namespace, so disconnect listeners run once; through GONE. */
    private volatile boolean gone;
    private static final java.lang.invoke.VarHandle ACK_IDS;
    private static final java.lang.invoke.VarHandle GONE;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            ACK_IDS = l.findVarHandle(NamespaceSocket.class, "ackIds", long.class);
            GONE = l.findVarHandle(NamespaceSocket.class, "gone", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    NamespaceSocket(SocketIoSession session, NamespaceImpl nsp, String sid, String pid, JsonNode auth) {
        this.session = session;
        this.connection = session.connection;
        this.nsp = nsp;
        this.sid = sid;
        this.pid = pid;
        this.auth = auth == null || auth.isEmpty() && auth.isObject() ? null : auth;
    }

    /** Sends the held frames after the CONNECT reply and sends directly from now on. */
    void connected() {
        List<Frame> held;
        synchronized (this) {
            held = early;
            early = null;
        }
        held.forEach(connection::send);
    }

    boolean sendFrame(Frame f) {
        if (early != null) {
            synchronized (this) {
                List<Frame> held = early;
                if (held != null) {
                    held.add(f);
                    return connection.isOpen();
                }
            }
        }
        return connection.send(f);
    }

    void ackArrived(long id, JsonNode args) {
        Map<Long, CompletableFuture<JsonNode>> pending = pendingAcks;
        CompletableFuture<JsonNode> f = pending == null ? null : pending.remove(id);
        if (f != null) {
            f.complete(args);
        }
    }

    /**
     * The socket leaves its namespace: pending acks fail, rooms are left, close and disconnect listeners run.
     * Once; later calls do nothing.
     */
    void gone(DisconnectReason reason) {
        if (!GONE.compareAndSet(this, false, true)) {
            return;
        }
        Map<Long, CompletableFuture<JsonNode>> pending = pendingAcks;
        if (pending != null) {
            pending.values().forEach(f -> f.completeExceptionally(
                    new RealtimeException(ErrorCode.UNAVAILABLE, "socket disconnected")));
            pending.clear();
        }
        session.engine.membership.leaveAll(subscriptions);
        closeListeners.fire();
        nsp.fireDisconnect(this, reason);
    }

    // ---- Peer -------------------------------------------------------------------------------------------

    @Override
    public RealConnection connection() {
        return connection;
    }

    @Override
    public void send(OutboundEvent event, String room) {
        sendFrame(nsp.encode(event));
    }

    @Override
    public void subscribed(String requestId, String room, StreamPosition position, Boolean recovered) {
        // Socket.IO answers subscriptions through the handler's acknowledgement
    }

    @Override
    public boolean inRoom(String key) {
        return subscriptions.get(key) != null;
    }

    // ---- Client -----------------------------------------------------------------------------------------

    @Override
    public String id() {
        return sid;
    }

    @Override
    public String namespace() {
        return nsp.name();
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
    public JsonNode auth() {
        return auth != null ? auth : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    @Override
    public ConcurrentMap<String, Object> data() {
        ConcurrentMap<String, Object> d = data;
        if (d == null) {
            synchronized (this) {
                if (data == null) {
                    data = new ConcurrentHashMap<>();
                }
                d = data;
            }
        }
        return d;
    }

    @Override
    public Set<String> rooms() {
        Set<String> out = new HashSet<>();
        for (String key : subscriptions.rooms()) {
            out.add(nsp.roomName(key));
        }
        return Set.copyOf(out);
    }

    @Override
    public boolean emit(String event, Object data) {
        return emitArgs(event, java.util.Collections.singletonList(data));
    }

    @Override
    public boolean emit(String event, Object... args) {
        return emitArgs(event, Arrays.asList(args));
    }

    /**
     * A direct emit; with connection state recovery on it goes to the recovery log under this socket's own key
     * and carries its offset, so a reconnecting client gets it back like a room event.
     */
    private boolean emitArgs(String event, List<?> args) {
        String offset = null;
        // emits before the CONNECT reply (greetings of connect listeners) are not logged: a recovering socket
        // runs its connect listeners again, and a connect storm must not push room events out of the log
        boolean greeting;
        synchronized (this) {
            greeting = early != null;
        }
        if (!greeting && session.engine.recoveryLog != null && pid != null && !explicitlyDisconnected
                && !hasBinary(args)) {
            // serialized once: the log keeps the JSON, the frame is built from the same tree
            ArrayNode tree = session.engine.mapper.valueToTree(args);
            long logId = session.engine.publishing.logDirect(directKey(sid), event, tree.toString());
            offset = logId == 0 ? null : Long.toString(logId, 36);
            List<JsonNode> nodes = new ArrayList<>(tree.size());
            tree.forEach(nodes::add);
            args = nodes;
        }
        return sendFrame(SocketIoCodec.event(session.engine.mapper, nsp.prefix, -1, event, args, offset));
    }

    private static boolean hasBinary(List<?> args) {
        for (Object o : args) {
            if (o instanceof byte[] || o instanceof ByteBuffer) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompletableFuture<JsonNode> emitWithAck(String event, Object data, Duration timeout) {
        return ask(event, java.util.Collections.singletonList(data), timeout);
    }

    @Override
    public CompletableFuture<Arguments> emitWithAck(Duration timeout, String event, Object... args) {
        return ask(event, Arrays.asList(args), timeout)
                .thenApply(a -> Arguments.of(a instanceof ArrayNode arr ? arr : null, session.engine.mapper));
    }

    private CompletableFuture<JsonNode> ask(String event, List<?> args, Duration timeout) {
        long id = (long) ACK_IDS.getAndAdd(this, 1L);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        Map<Long, CompletableFuture<JsonNode>> pending = pendingAcks;
        if (pending == null) {
            synchronized (this) {
                if (pendingAcks == null) {
                    pendingAcks = new ConcurrentHashMap<>();
                }
                pending = pendingAcks;
            }
        }
        Map<Long, CompletableFuture<JsonNode>> acks = pending;
        acks.put(id, f);
        f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> acks.remove(id));
        if (!sendFrame(SocketIoCodec.event(session.engine.mapper, nsp.prefix, id, event, args, null))) {
            f.completeExceptionally(new RealtimeException(ErrorCode.UNAVAILABLE, "socket is not connected"));
        }
        return f;
    }

    @Override
    public void join(String room) {
        session.engine.membership.join(this, subscriptions, nsp.roomKey(room));
        session.remember(this);
    }

    @Override
    public void leave(String room) {
        String key = subscriptions.get(nsp.roomKey(room)) != null ? nsp.roomKey(room) : room;
        session.engine.membership.unsubscribe(subscriptions, key);
        session.remember(this);
    }

    @Override
    public SubscribeResult subscribe(String room, StreamPosition since) {
        SubscribeResult r = session.engine.membership.subscribe(this, subscriptions, null, room,
                since == null ? null : since.offset(), since == null ? null : since.epoch());
        session.remember(this);
        return r;
    }

    @Override
    public Runnable onClose(Runnable listener) {
        return closeListeners.add(listener);
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen() && !explicitlyDisconnected && !gone;
    }

    @Override
    public void disconnect() {
        session.disconnect(this);
    }

    @Override
    public void close(int code, String reason) {
        connection.close(code, reason);
    }

    /** The recovery-log key of this socket's direct emits. */
    static String directKey(String sid) {
        return "#" + sid;
    }

    /** Whether a logged envelope is a direct emit to this socket. */
    boolean isDirect(Envelope e) {
        return e.rooms().size() == 1 && e.rooms().get(0).equals(directKey(sid));
    }
}
