package dev.realtime.core.internal;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.HubSettings;
import dev.realtime.core.HubStats;
import dev.realtime.core.Protocol;
import dev.realtime.core.PublishResult;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.SubscriptionPolicy;
import dev.realtime.core.Transport;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's machinery behind the public {@code RealtimeHub} facade: connections, rooms, the publish path
 * (history append, local fan-out, broker), subscribe with gap-free resume, and the heartbeat sweep.
 *
 * <p>Publish path: {@code publish -> HistoryStore.append (streams only) -> local fan-out -> Broker.publish}.
 * The fan-out takes no global lock: it reads the room's member set and hands the event to each subscription,
 * whose per-subscription lock orders offsets. Encoding happens once per event and protocol, lazily.
 */
public final class HubEngine {
    private static final Logger log = LoggerFactory.getLogger(HubEngine.class);

    public final HubSettings settings;
    public final ObjectMapper mapper;
    public final Clock clock;
    public final HistoryStore history;
    public final Broker broker;
    public final String nodeId;
    public final RoomRegistry rooms = new RoomRegistry();
    public final Counters counters = new Counters();
    public final HandlerRegistry handlers;
    /** fetchSockets / socketsJoin / socketsLeave / disconnectSockets, on this node and through the broker. */
    final SocketQueries sockets = new SocketQueries(this, SOCKET_QUERY_TIMEOUT_MILLIS);
    /** The publish path and the delivery of other nodes' envelopes. */
    final Publishing publishing = new Publishing(this);
    /** Subscribe, join, leave and presence. */
    final Membership membership = new Membership(this);
    /** How long a cluster-wide socket query waits for the other nodes. */
    static final long SOCKET_QUERY_TIMEOUT_MILLIS = 5_000;
    SubscriptionPolicy policy;
    final Predicate<String> historyRooms;
    final NativeCodec nativeCodec;
    /** Socket.IO settings, namespaces and recoverable sessions; null when Socket.IO is disabled. */
    final SocketIoOptions socketIo;
    final ConcurrentHashMap<String, NamespaceImpl> namespaces = new ConcurrentHashMap<>();
    final RecoveryLog recoveryLog;
    final dev.realtime.core.history.RecoverySessionStore recoverable;
    /** This node's connections: creation, unregistration, the sweep's walk. */
    final HubConnections connections;
    /** Where connection metadata and subscriptions are mirrored (Redis), or nothing. */
    final dev.realtime.core.ClientRegistry clients;
    /** Who is in which presence room, cluster-wide when shared. */
    final dev.realtime.core.presence.PresenceStore presence;
    final Predicate<String> presenceRooms;
    /** Null when the hub runs open (development). */
    public final dev.realtime.core.security.Authenticator authenticator;
    public final dev.realtime.core.security.Limits limits;
    /** Allowed Origin header values; null allows every origin. */
    final java.util.Set<String> allowedOrigins;
    /** Origin, handshake-rate and connection-count admission, counted per client address or user. */
    final Admission admission;
    /** Buckets of the timer wheel: 4,096 ticks of 10 ms, one turn ≈ 41 s, longer than Socket.IO's default timers. */
    private static final int TIMER_BUCKETS = 4096;
    private final ScheduledExecutorService scheduler;
    /** Runs client-registry calls (SPI I/O, e.g. Redis) off container and hub threads; see RealConnection#mirror. */
    final java.util.concurrent.Executor registryExecutor;
    /** Engine.IO long-polling sessions and upgrades; null when Socket.IO is disabled. */
    private final EngineIoServer engineIo;
    /** Where connections' write loops start: at most one loop per core (null: on the enqueuing thread). */
    final java.util.concurrent.Executor writer;
    /** Encodes fan-out frames to WebSocket bytes once for every connection whose transport takes them. */
    final WireFrames wire = new WireFrames();
    private volatile boolean closed;
    /** Monotonic nanoseconds for durations (slow-consumer time); {@code System::nanoTime} unless a test fakes it. */
    final java.util.function.LongSupplier ticker;
    /** The Engine.IO heartbeat timers of every Socket.IO session, on the hub's scheduler and ticker. */
    final TimerWheel timers;

    public HubEngine(EngineParts p) {
        this.settings = p.settings();
        this.mapper = p.mapper();
        this.clock = p.clock();
        this.history = p.history();
        this.broker = p.broker();
        this.nodeId = p.nodeId();
        this.policy = p.policy();
        this.historyRooms = p.historyRooms();
        this.scheduler = p.scheduler();
        this.ticker = p.ticker();
        this.timers = new TimerWheel(scheduler, ticker, dev.realtime.core.Defaults.TIMER_TICK.toMillis(),
                TIMER_BUCKETS);
        this.writer = p.writer() == null ? null : new WriteScheduler(p.writer());
        this.presence = p.presence();
        this.presenceRooms = p.presenceRooms();
        this.clients = p.clients();
        this.connections = new HubConnections(this, nodeId);
        ExecutorService handlerExecutor = p.handlerExecutor();
        this.handlers = new HandlerRegistry(mapper, handlerExecutor);
        this.registryExecutor = command -> {
            try {
                handlerExecutor.execute(command);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                command.run(); // shutting down: finish on this thread
            }
        };
        this.nativeCodec = new NativeCodec(mapper);
        this.authenticator = p.authenticator();
        this.limits = p.limits();
        this.allowedOrigins = p.allowedOrigins() == null ? null : java.util.Set.copyOf(p.allowedOrigins());
        this.admission = new Admission(limits, allowedOrigins, settings.trustedProxies(), authenticator, counters,
                clock);
        this.socketIo = p.socketIo();
        this.engineIo = socketIo == null ? null : new EngineIoServer(this, socketIo);
        this.recoveryLog = socketIo != null && socketIo.recovery() ? p.recoveryLog() : null;
        this.recoverable = p.recoverySessions();
        if (socketIo != null) {
            // seed the sid generator now: a first SecureRandom use can wait for entropy, and on the first
            // connection that wait would be on the container's thread, before the open packet
            SocketIoSession.randomId();
            namespace("/");
        }
    }

    /** Set once by the hub before start, when the default policy depends on the job registry. */
    public void setPolicy(SubscriptionPolicy policy) {
        this.policy = policy;
    }

    public SocketIoOptions socketIoOptions() {
        return socketIo;
    }

    public dev.realtime.core.ClientRegistry clientRegistry() {
        return clients;
    }

    public dev.realtime.core.presence.PresenceStore presenceStore() {
        return presence;
    }

    public dev.realtime.core.history.RecoverySessionStore recoverySessionStore() {
        return recoverable;
    }

    public RecoveryLog recoveryLogOrNull() {
        return recoveryLog;
    }

    /** The namespace with this name, created on first use. */
    public NamespaceImpl namespace(String name) {
        if (name == null || !name.startsWith("/") || name.contains(",")) {
            throw new IllegalArgumentException("a namespace starts with '/' and has no ',': " + name);
        }
        return namespaces.computeIfAbsent(name, n -> new NamespaceImpl(this, n));
    }

    /** Starts the heartbeat sweep and the broker. */
    public void start() {
        long tick = Math.max(20, Math.min(settings.heartbeatInterval().toMillis(),
                settings.heartbeatTimeout().toMillis()) / 4);
        scheduler.scheduleWithFixedDelay(connections::sweep, tick, tick, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (engineIo != null) {
            timers.start();
        }
        if (recoveryLog != null) {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    recoveryLog.expire();
                } catch (RuntimeException e) {
                    log.warn("recovery log expiry failed: {}", e.toString());
                }
            }, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
        }
        broker.start(nodeId, publishing::deliverRemote, this::catchUpAll);
    }

    /**
     * The broker is connected again after an outage: events of other nodes may have been lost on the way, so every
     * local subscription to a history stream is caught up from its last offset (in the background).
     */
    private void catchUpAll() {
        background(() -> {
            List<Subscription> all = rooms.all();
            log.info("broker reconnected: catching up {} subscription(s) from history", all.size());
            all.forEach(Subscription::catchUp);
        });
    }

    /** Runs history reads and other I/O off the publishing, broker and container threads. */
    void background(Runnable task) {
        handlers.executor().execute(task);
    }

    // ---- connections ------------------------------------------------------------------------------------

    public RealConnection connect(Transport transport, Protocol protocol) {
        if (closed) {
            transport.close(1001, "server shutting down");
            throw new RealtimeException(ErrorCode.UNAVAILABLE, "hub is closed");
        }
        if (protocol == Protocol.SOCKET_IO && socketIo == null) {
            transport.close(1008, "Socket.IO is not enabled");
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "Socket.IO is not enabled");
        }
        return connections.open(transport, protocol);
    }

    /**
     * Attaches a transport: a WebSocket carrying the {@code sid} of a polling session joins that session (the
     * Engine.IO upgrade); anything else is a new connection.
     */
    public dev.realtime.core.ConnectionHandle attach(Transport transport, Protocol protocol) {
        if (protocol == Protocol.SOCKET_IO && engineIo != null) {
            java.util.Optional<String> sid = transport.handshake().queryParam("sid");
            if (sid.isPresent()) {
                return engineIo.upgrade(transport, sid.get());
            }
        }
        return connect(transport, protocol);
    }

    /** Engine.IO long-polling; null when Socket.IO is disabled. */
    public dev.realtime.core.EngineIoPolling polling() {
        return engineIo;
    }

    /**
     * The Engine.IO refusal of an upgrade request carrying {@code sid}, as {code, message}, or null to accept:
     * unknown sid (1) or a session that no longer polls (3).
     */
    public java.util.Map.Entry<Integer, String> checkUpgrade(String sid) {
        EngineIoServer.EngineIoError e = engineIo == null ? EngineIoServer.UNKNOWN_SID : engineIo.checkUpgrade(sid);
        return e == null ? null : java.util.Map.entry(e.code(), e.message());
    }

    /**
     * Admission checks before an upgrade: origin allow-list (403), handshakes per second and open connections
     * (429), per client address (behind trusted proxies: the forwarded one) or per user when the handshake carries
     * a valid token. Returns the HTTP status, code and message, or null to accept.
     */
    public String[] admit(dev.realtime.core.Handshake handshake) {
        return admission.admit(handshake);
    }

    /** The client address of a handshake as the limits count it. */
    public String clientAddress(dev.realtime.core.Handshake handshake) {
        return admission.clientAddress(handshake);
    }

    /** The origin allow-list check alone (403), or null to accept. */
    public String[] admitOrigin(dev.realtime.core.Handshake handshake) {
        return admission.admitOrigin(handshake);
    }

    /** The principal behind a client, when authenticated. */
    public java.util.Optional<dev.realtime.core.security.Principal> principalOf(dev.realtime.core.Client client) {
        if (client instanceof Peer p) {
            return java.util.Optional.ofNullable(p.connection().principal);
        }
        return java.util.Optional.empty();
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Closes every connection (server shutting down). */
    public void closeAll(int code, String reason) {
        closed = true;
        connections.abortAll(code, reason);
        timers.close();
    }

    /** Runs {@code task} once after {@code millis} on the hub's scheduler (ignored while shutting down). */
    void later(Runnable task, long millis) {
        try {
            scheduler.schedule(task, millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    /**
     * Runs {@code task} once after {@code millis} on the hub's scheduler; the task's failures are logged. Returns
     * null when the scheduler no longer accepts work (the hub is closing).
     */
    java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long millis) {
        try {
            return scheduler.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("timer task failed", e);
                }
            }, millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        }
    }

    // ---- publishing (see Publishing: broadcast operators and Socket.IO sockets call it directly) --------------

    /** Serializes a payload with the hub's mapper. */
    public String json(Object data) {
        if (data instanceof RawJson raw) {
            return raw.json();
        }
        try {
            return mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "payload is not serializable: " + e.getOriginalMessage(), e);
        }
    }

    /** The Origin allow-list, or null when every origin is accepted. */
    public java.util.Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Publishes an event to rooms. The first room that keeps history (by the history-room rule) is the event's
     * stream: the event is appended there first, so it gets an offset every node agrees on.
     *
     * @throws dev.realtime.core.StoreException when the history cannot be written; nothing was delivered
     */
    public PublishResult publish(List<String> targetRooms, String event, String data) {
        return publishing.publish(targetRooms, event, data, null);
    }

    /** As {@link #publish(List, String, String)}, with an idempotency key (null for none). */
    public PublishResult publish(List<String> targetRooms, String event, String data, String idempotencyKey) {
        return publishing.publish(targetRooms, event, data, idempotencyKey);
    }

    /** Sends an event to every connection on every node. */
    public int broadcast(String event, String data) {
        return publishing.broadcast(event, data);
    }

    /** A broadcast operator over hub-wide rooms. */
    public dev.realtime.core.BroadcastOperator operator() {
        return new Broadcast(this, null);
    }

    // ---- membership (see Membership: sessions call it directly) ---------------------------------------------

    /** Users present in a room, cluster-wide when the store is shared. */
    public java.util.Set<String> presence(String room) {
        return membership.presence(room);
    }

    // ---- stats / lifecycle ------------------------------------------------------------------------------

    public HubStats stats() {
        return new HubStats(connections.size(), rooms.size(), counters.published.sum(), counters.messagesIn.sum(),
                counters.messagesOut.sum(), counters.conflated.sum(), counters.slowConsumerCloses.sum(),
                counters.heartbeatCloses.sum(), counters.protocolErrors.sum(), counters.authFailures.sum(),
                counters.rateLimited.sum(), counters.abuseCloses.sum(), counters.handshakesRejected.sum());
    }

    public boolean isClosed() {
        return closed;
    }
}
