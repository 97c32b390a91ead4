package dev.realtime.core;

import static dev.realtime.core.Checks.positive;
import static dev.realtime.core.Checks.atLeast;
import static dev.realtime.core.Checks.requireUnset;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.core.internal.HubEngine;
import dev.realtime.core.Rooms;
import dev.realtime.core.jobs.JobPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: connections, rooms, publishing, history and resume, inbound handlers and heartbeats, for
 * every protocol and adapter.
 *
 * <pre>{@code
 * try (RealtimeHub hub = RealtimeHub.builder().historySize(100).build()) {
 *     hub.on("generate-quiz", QuizRequest.class, (client, req) -> quizzes.start(client, req));
 *     hub.jobs().progress("42", 40, "Analyzing content");   // to job:42, all-jobs (and user:{owner})
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> The hub owns a scheduler thread (heartbeat sweep, slow-consumer checks, the Engine.IO
 * timers of every Socket.IO session: pings, ping and connect timeouts, upgrade timeouts), writer threads (the
 * connections' send loops; a waiting long-poll GET is answered from there) and a handler executor (inbound
 * event handlers, and the client-registry calls of each connection, in order), unless you supply your own;
 * {@link #close()} shuts down the ones it created and never the ones you supplied. Engine.IO polling adds no
 * thread: a waiting GET holds none (Servlet async, Grizzly suspend). All methods are thread-safe. Publishing
 * never blocks on slow clients.
 *
 * <p><b>Lifecycle.</b> Build, let adapters {@link #connect} transports, publish, then {@link #close()}: open
 * connections are closed with 1001 and the store and broker given to the builder are closed too.
 *
 * @since 0.1
 */
public final class RealtimeHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealtimeHub.class);

    private final HubEngine engine;
    private final JobPublisher jobs;
    private final ScheduledExecutorService ownedScheduler;
    private final ExecutorService ownedHandlerExecutor;
    private final ExecutorService ownedWriter;
    /** The cluster backend given to the builder, closed after the hub's parts; or null. */
    private final ClusterBackend backend;
    /** The application's handshake check, or null. */
    private final HandshakeFilter handshakeFilter;

    private RealtimeHub(Builder b) {
        ObjectMapper mapper = b.mapper != null ? b.mapper : defaultMapper(b.maxNestingDepth, b.maxFrameBytes);
        Clock clock = b.clock != null ? b.clock : Clock.systemUTC();
        ClusterBackend cluster = b.backend;
        this.backend = cluster;
        this.handshakeFilter = b.handshakeFilter;
        HistoryStore history = b.historyStore != null ? b.historyStore : cluster != null ? cluster.history()
                : HistoryStore.inMemory(b.historySize, b.historyRetention, clock);
        this.ownedScheduler = b.scheduler == null ? removingOnCancel(daemon("realtime-scheduler")) : null;
        this.ownedHandlerExecutor = b.handlerExecutor == null ? Executors.newFixedThreadPool(
                b.handlerThreads, daemon("realtime-handler")) : null;
        this.ownedWriter = b.writerThreads > 0 ? Executors.newFixedThreadPool(b.writerThreads,
                daemon("realtime-writer")) : null;
        HubSettings settings = new HubSettings(b.heartbeatInterval, b.heartbeatTimeout, b.sendQueueCapacity,
                b.slowConsumerTimeout, b.maxFrameBytes, b.replayLimit, b.conflateAfter, b.trustedProxies);
        this.engine = new HubEngine(new HubEngine.Parts(settings, mapper, clock, history,
                b.broker != null ? b.broker : cluster != null ? cluster.broker() : Broker.local(),
                b.nodeId != null ? b.nodeId : UUID.randomUUID().toString(),
                b.subscriptionPolicy, b.historyRooms,
                b.scheduler != null ? b.scheduler : ownedScheduler,
                b.handlerExecutor != null ? b.handlerExecutor : ownedHandlerExecutor,
                b.socketIo,
                b.recoveryLog != null ? b.recoveryLog : cluster != null ? cluster.recoveryLog()
                        : RecoveryLog.inMemory(Defaults.RECOVERY_LOG_SIZE, b.socketIo != null ? b.socketIo.maxDisconnectionDuration()
                                : Duration.ofMinutes(2), clock),
                b.authenticator, b.limits, b.allowedOrigins,
                b.recoverySessions != null ? b.recoverySessions : cluster != null ? cluster.recoverySessions()
                        : dev.realtime.core.history.RecoverySessionStore
                        .inMemory(b.socketIo != null ? b.socketIo.maxDisconnectionDuration() : Duration.ofMinutes(2)),
                b.presenceStore != null ? b.presenceStore : cluster != null ? cluster.presence()
                        : dev.realtime.core.presence.PresenceStore.inMemory(Defaults.PRESENCE_TTL, clock),
                b.presenceRooms, b.clientRegistry != null ? b.clientRegistry : cluster != null ? cluster.clients()
                        : ClientRegistry.none(), ownedWriter, b.ticker));
        if (b.authenticator == null) {
            log.warn("no authenticator configured: every client may connect and join every room (development mode)");
        }
        this.jobs = new JobPublisher(this);
        if (b.subscriptionPolicy == null) {
            if (b.authenticator == null) {
                engine.setPolicy(SubscriptionPolicy.allowAll());
            } else {
                dev.realtime.core.security.RoomRules.Builder rules = dev.realtime.core.security.RoomRules
                        .builder(jobs::ownerOf, engine::principalOf).adminRole(b.adminRole);
                b.roomRules.forEach(rules::allow);
                engine.setPolicy(rules.build());
            }
        }
        if (b.socketIo != null) {
            // the seed gateways, written on the public API like an application's own
            dev.realtime.core.gateway.JobsGateway.install(namespace("/jobs"));
            dev.realtime.core.gateway.QuizGreeting.install(namespace("/quiz"), clock);
            dev.realtime.core.gateway.InterviewGreeting.install(this, namespace("/interview"));
        }
        engine.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Publishes job events (seed 002's payloads) to {@code job:{id}}, {@code user:{owner}} and {@code all-jobs}. */
    public JobPublisher jobs() {
        return jobs;
    }

    /**
     * Publishes an event to one room. When the room keeps history ({@code job:*} by default) the event is appended
     * first and gets an offset.
     *
     * @param data any Jackson-serializable value
     * @throws StoreException when history cannot be written (nothing was delivered)
     */
    public PublishResult emitToRoom(String room, String event, Object data) {
        return publish(List.of(room), event, data);
    }

    /**
     * Publishes one event to several rooms; a client in several of them receives it once. The first room that
     * keeps history is the event's stream.
     */
    public PublishResult publish(List<String> rooms, String event, Object data) {
        Objects.requireNonNull(event, "event");
        for (String room : rooms) {
            if (!Rooms.valid(room)) {
                throw new IllegalArgumentException("invalid room name: " + room);
            }
        }
        return engine.publish(rooms, event, engine.json(data));
    }

    /**
     * Selects clients in hub-wide rooms for one emit or socket operation, on every protocol and namespace:
     * {@code hub.to("job:7").except(sender).emit("job:update", data)}; no room selects every client. For the
     * application rooms of one namespace use {@link Namespace#to}.
     */
    public BroadcastOperator to(String... rooms) {
        return engine.operator().to(rooms);
    }

    /**
     * As {@link #publish(List, String, Object)}; with an idempotency key (1..200 characters, or null for none) a
     * repeated publish into the same stream (a retry after a timeout) stores nothing new and returns the first
     * result with {@link PublishResult#duplicate()} set.
     */
    public PublishResult publish(List<String> rooms, String event, Object data, String idempotencyKey) {
        Objects.requireNonNull(event, "event");
        for (String room : rooms) {
            if (!Rooms.valid(room)) {
                throw new IllegalArgumentException("invalid room name: " + room);
            }
        }
        return engine.publish(rooms, event, engine.json(data), idempotencyKey);
    }

    /** The hub's clock (timestamps of events, heartbeats, presence). */
    public Clock clock() {
        return engine.clock;
    }

    /** The history store events are appended to (stream metadata such as job owners lives there too). */
    public HistoryStore historyStore() {
        return engine.history;
    }

    /** Sends an event to the room {@code user:{userId}}: every connection of that user that joined it. */
    public PublishResult emitToUser(String userId, String event, Object data) {
        return emitToRoom(Rooms.user(userId), event, data);
    }

    /** Sends an event to every connected client on every node; no history. Returns the local recipients. */
    public int broadcastToAll(String event, Object data) {
        return engine.broadcast(Objects.requireNonNull(event, "event"), engine.json(data));
    }

    /**
     * Registers the handler for a client event ({@code emit} in the native protocol, an EVENT on the default
     * Socket.IO namespace). One handler per event name.
     *
     * @throws IllegalStateException when the event already has a handler
     */
    public <T> RealtimeHub on(String event, Class<T> payloadType, EventHandler<T> handler) {
        engine.handlers.register("", Objects.requireNonNull(event, "event"),
                Objects.requireNonNull(payloadType, "payloadType"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * The Socket.IO namespace with this name, created on first use. {@code /}, {@code /jobs}, {@code /quiz} and
     * {@code /interview} exist from the start.
     *
     * @throws IllegalStateException when Socket.IO is disabled
     */
    public Namespace namespace(String name) {
        if (engine.socketIoOptions() == null) {
            throw new IllegalStateException("Socket.IO is disabled on this hub");
        }
        return engine.namespace(name);
    }

    /**
     * Checks an upgrade request before the WebSocket is accepted; adapters answer a rejection with its HTTP
     * status and body instead of upgrading. For Socket.IO: {@code EIO=4} and {@code transport=websocket} are
     * required (Engine.IO's 400 error bodies otherwise).
     */
    public java.util.Optional<HandshakeRejection> checkHandshake(Protocol protocol, Handshake handshake) {
        // the upgrade of a polling session is not a new connection: only its origin is checked again
        boolean upgrade = protocol == Protocol.SOCKET_IO && handshake.queryParam("sid").isPresent();
        String[] refusal = upgrade ? engine.admitOrigin(handshake) : engine.admit(handshake);
        if (refusal != null) {
            return java.util.Optional.of(new HandshakeRejection(Integer.parseInt(refusal[0]), "application/json",
                    "{\"error\":{\"code\":\"" + refusal[1] + "\",\"message\":"
                            + engine.json(refusal[2]) + "}}"));
        }
        if (!upgrade && handshakeFilter != null) {
            java.util.Optional<HandshakeRejection> own = handshakeFilter.check(protocol, handshake);
            if (own.isPresent()) {
                return own;
            }
        }
        if (protocol == Protocol.SOCKET_IO) {
            if (engine.socketIoOptions() == null) {
                return java.util.Optional.of(new HandshakeRejection(400, "application/json",
                        "{\"code\":0,\"message\":\"Transport unknown\"}"));
            }
            String transport = handshake.queryParam("transport").orElse("");
            if (!"websocket".equals(transport)) {
                return java.util.Optional.of(new HandshakeRejection(400, "application/json",
                        "{\"code\":0,\"message\":\"Transport unknown\"}"));
            }
            if (!"4".equals(handshake.queryParam("EIO").orElse(""))) {
                return java.util.Optional.of(new HandshakeRejection(400, "application/json",
                        "{\"code\":5,\"message\":\"Unsupported protocol version\"}"));
            }
            java.util.Optional<String> sid = handshake.queryParam("sid");
            if (sid.isPresent()) {
                java.util.Map.Entry<Integer, String> refused = engine.checkUpgrade(sid.get());
                if (refused != null) {
                    return java.util.Optional.of(new HandshakeRejection(400, "application/json",
                            "{\"code\":" + refused.getKey() + ",\"message\":\"" + refused.getValue() + "\"}"));
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The client address of a request as the hub's limits count it: the peer address, or behind a trusted proxy
     * (see {@link Builder#trustedProxies}) the forwarded one. Adapters use it for their own per-address limits.
     */
    public String clientAddress(Handshake handshake) {
        return engine.clientAddress(handshake);
    }

    /** Up to {@code limit} history entries of a room after {@code after}, oldest first. */
    public HistoryPage history(String room, long after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        return engine.history.read(room, after, limit);
    }

    /**
     * Attaches a transport: the hub greets the client per {@code protocol} and returns the handle the adapter
     * feeds inbound frames to. Adapters call this from their open callback.
     */
    public ConnectionHandle connect(Transport transport, Protocol protocol) {
        return engine.attach(transport, protocol);
    }

    /**
     * Engine.IO HTTP long-polling for this hub's Socket.IO path: adapters hand it every plain HTTP request to
     * that path (see {@link EngineIoPolling}).
     *
     * @throws IllegalStateException when Socket.IO is disabled on this hub
     */
    public EngineIoPolling polling() {
        EngineIoPolling p = engine.polling();
        if (p == null) {
            throw new IllegalStateException("Socket.IO is disabled on this hub");
        }
        return p;
    }

    /**
     * Verifies a bearer token with the hub's authenticator, for HTTP routes that accept the same tokens as the
     * connections (uploads, share links). Runs on the caller's thread.
     *
     * @return the principal, or empty when the hub has no authenticator (open, development mode)
     * @throws RealtimeException {@code unauthorized} for an invalid, expired or forged token
     */
    public java.util.Optional<dev.realtime.core.security.Principal> authenticate(String token) {
        if (engine.authenticator == null) {
            return java.util.Optional.empty();
        }
        if (token == null || token.isBlank()) {
            throw new RealtimeException(ErrorCode.UNAUTHORIZED, "a bearer token is required");
        }
        return java.util.Optional.of(engine.authenticator.authenticate(token));
    }

    /**
     * The Origin allow-list given to {@link Builder#allowedOrigins}, or empty when every origin is accepted (then
     * adapters send no CORS headers: same-origin pages only).
     */
    public java.util.Optional<java.util.Set<String>> allowedOrigins() {
        return java.util.Optional.ofNullable(engine.allowedOrigins());
    }

    /** Whether connections must authenticate (an authenticator is configured). */
    public boolean requiresAuthentication() {
        return engine.authenticator != null;
    }

    /** The authenticated principal of a client, when the hub has an authenticator. */
    public java.util.Optional<dev.realtime.core.security.Principal> principal(Client client) {
        return engine.principalOf(client);
    }

    /** Users present in a presence room (see {@link Builder#presenceRooms}), across nodes when shared. */
    public java.util.Set<String> presence(String room) {
        return engine.presence(room);
    }

    /** Whether the hub accepts connections (false once {@link #close()} began). */
    public boolean isRunning() {
        return !engine.isClosed();
    }

    /** The largest inbound frame the hub accepts (bytes of UTF-8); adapters bound their message buffers with it. */
    public int maxFrameBytes() {
        return engine.settings.maxFrameBytes();
    }

    /** The Socket.IO options, or empty when Socket.IO is disabled on this hub. */
    public java.util.Optional<SocketIoOptions> socketIoOptions() {
        return java.util.Optional.ofNullable(engine.socketIoOptions());
    }

    /** Whether {@code room} is a valid room name (letters, digits and {@code :_-./@}, bounded length). */
    public static boolean validRoom(String room) {
        return Rooms.valid(room);
    }

    /** Whether the hub shares its events with other nodes (a broker other than the single-node one). */
    public boolean isClustered() {
        return engine.broker != Broker.local();
    }

    /** Whether the broker reaches the other nodes (always true on a single node). */
    public boolean clusterConnected() {
        return engine.broker.connected();
    }

    /** Counters and gauges. */
    public HubStats stats() {
        return engine.stats();
    }

    /** Local members of a room on this node. */
    public int roomSize(String room) {
        return engine.rooms.memberCount(room);
    }

    /** The mapper used for payloads; share it to serialize consistently. */
    public ObjectMapper mapper() {
        return engine.mapper;
    }

    /**
     * The stores and broker this hub runs on, whichever way they were configured (one by one, a
     * {@link ClusterBackend}, or the in-memory defaults), as a read-only view: its {@code close()} does nothing
     * (the hub closes what it owns). The recovery log is the hub's even when Socket.IO recovery is off.
     */
    public ClusterBackend parts() {
        HubEngine e = engine;
        return new ClusterBackend() {
            @Override
            public HistoryStore history() {
                return e.history;
            }

            @Override
            public Broker broker() {
                return e.broker;
            }

            @Override
            public RecoveryLog recoveryLog() {
                return e.recoveryLogOrNull();
            }

            @Override
            public dev.realtime.core.history.RecoverySessionStore recoverySessions() {
                return e.recoverySessionStore();
            }

            @Override
            public dev.realtime.core.presence.PresenceStore presence() {
                return e.presenceStore();
            }

            @Override
            public ClientRegistry clients() {
                return e.clientRegistry();
            }

            @Override
            public void close() {
                // a view: the hub closes its parts
            }
        };
    }

    /** The settings this hub runs with. */
    public HubSettings settings() {
        return engine.settings;
    }

    /** Closes all connections (1001), stops the threads this hub created, and closes the store and broker. */
    @Override
    public void close() {
        engine.closeAll(1001, "server shutting down");
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        if (ownedWriter != null) {
            ownedWriter.shutdownNow();
        }
        if (ownedHandlerExecutor != null) {
            ownedHandlerExecutor.shutdown();
            try {
                if (!ownedHandlerExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                    ownedHandlerExecutor.shutdownNow();
                }
            } catch (InterruptedException e) {
                ownedHandlerExecutor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        try {
            engine.broker.close();
        } catch (RuntimeException e) {
            log.warn("broker close failed", e);
        }
        closeQuietly(engine.presenceStore(), "presence store");
        closeQuietly(engine.clientRegistry(), "client registry");
        closeQuietly(engine.recoverySessionStore(), "recovery session store");
        try {
            if (engine.recoveryLogOrNull() != null) {
                engine.recoveryLogOrNull().close();
            }
        } catch (Exception e) {
            log.warn("recovery log close failed", e);
        }
        try {
            engine.history.close();
        } catch (Exception e) {
            log.warn("history store close failed", e);
        }
        if (backend != null) {
            try {
                backend.close();
            } catch (RuntimeException e) {
                log.warn("cluster backend close failed", e);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c, String what) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("{} close failed", what, e);
        }
    }

    static ObjectMapper defaultMapper(int maxNestingDepth, int maxFrameBytes) {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxFrameBytes)
                .maxNumberLength(100)
                .build());
        mapper.findAndRegisterModules();
        return mapper;
    }

    /**
     * The hub's one-thread scheduler; a cancelled timer (a Socket.IO connect deadline met, a pong that came) leaves
     * its queue at once instead of holding memory until it would have fired.
     */
    private static ScheduledExecutorService removingOnCancel(ThreadFactory threads) {
        java.util.concurrent.ScheduledThreadPoolExecutor s = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                threads);
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Configures a {@link RealtimeHub}. Every setter validates its argument and fails fast; defaults suit a
     * single node in memory. Not thread-safe; build once.
     */
    public static final class Builder {
        private Duration heartbeatInterval = Defaults.HEARTBEAT_INTERVAL;
        private Duration heartbeatTimeout = Defaults.HEARTBEAT_TIMEOUT;
        private int historySize = Defaults.HISTORY_SIZE;
        private int replayLimit = Defaults.REPLAY_LIMIT;
        private Duration historyRetention = Defaults.HISTORY_RETENTION;
        private int sendQueueCapacity = Defaults.SEND_QUEUE_CAPACITY;
        private Duration slowConsumerTimeout = Defaults.SLOW_CONSUMER_TIMEOUT;
        private int maxFrameBytes = Defaults.MAX_FRAME_BYTES;
        private int maxNestingDepth = Defaults.MAX_NESTING_DEPTH;
        private int handlerThreads = Defaults.handlerThreads();
        private int writerThreads = Defaults.writerThreads();
        private int conflateAfter = Defaults.CONFLATE_AFTER;
        private Clock clock;
        private ObjectMapper mapper;
        private HistoryStore historyStore;
        private Broker broker;
        private String nodeId;
        private ScheduledExecutorService scheduler;
        private ExecutorService handlerExecutor;
        private SubscriptionPolicy subscriptionPolicy;
        private dev.realtime.core.security.Authenticator authenticator;
        private dev.realtime.core.security.Limits limits = dev.realtime.core.security.Limits.defaults();
        private java.util.Set<String> allowedOrigins;
        private String adminRole = Defaults.ADMIN_ROLE;
        private final java.util.Map<String, java.util.function.BiPredicate<Client, String>> roomRules =
                new java.util.LinkedHashMap<>();
        private Predicate<String> historyRooms = room -> room.startsWith("job:");
        private SocketIoOptions socketIo = SocketIoOptions.defaults();
        private dev.realtime.core.history.RecoverySessionStore recoverySessions;
        private dev.realtime.core.presence.PresenceStore presenceStore;
        private ClientRegistry clientRegistry;
        private Predicate<String> presenceRooms = room -> room.startsWith("session:");
        private RecoveryLog recoveryLog;
        private dev.realtime.core.security.TrustedProxies trustedProxies =
                dev.realtime.core.security.TrustedProxies.none();
        private ClusterBackend backend;
        private HandshakeFilter handshakeFilter;
        private java.util.function.LongSupplier ticker = System::nanoTime;

        private Builder() {
        }

        /**
         * The monotonic time source for durations (how long a send queue has been over its bound), in
         * nanoseconds; {@code System::nanoTime} by default. Wall-clock times (heartbeats, tokens, timestamps,
         * presence) come from {@link #clock}. Tests pass fake ones to run on fake time.
         */
        public Builder ticker(java.util.function.LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The application's own handshake check (Socket.IO's {@code allowRequest}); see {@link HandshakeFilter}. */
        public Builder allowRequest(HandshakeFilter filter) {
            this.handshakeFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * The shared state of a cluster in one call (e.g. {@code RedisBackend.create(url)}): history, broker,
         * recovery log and sessions, presence and the client registry, unless set one by one. The hub closes it.
         */
        public Builder backend(ClusterBackend backend) {
            requireUnset(this.backend, "backend");
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * The reverse proxies whose {@code Forwarded} / {@code X-Forwarded-For} headers name the client address that
         * per-address limits count (default: none, the peer address counts). Set this when the server runs behind a
         * load balancer, or every user behind it shares one address's limits.
         */
        public Builder trustedProxies(dev.realtime.core.security.TrustedProxies proxies) {
            this.trustedProxies = Objects.requireNonNull(proxies, "proxies");
            return this;
        }

        /** Server ping period (default 30 s); a client silent for interval + timeout is closed (1001). */
        public Builder heartbeat(Duration interval, Duration timeout) {
            this.heartbeatInterval = positive(interval, "interval");
            this.heartbeatTimeout = positive(timeout, "timeout");
            return this;
        }

        /** Events kept per history stream (default 100). */
        public Builder historySize(int size) {
            this.historySize = atLeast(size, 1, "historySize");
            return this;
        }

        /**
         * The most events one resume replays (default 1,000), independent of what the store keeps. A client that
         * missed more gets {@code recovered:false} and the stream's current state, never a silently truncated
         * replay.
         */
        public Builder replayLimit(int events) {
            this.replayLimit = atLeast(events, 1, "replayLimit");
            return this;
        }

        /** How long history is kept (default 24 h). */
        public Builder historyRetention(Duration retention) {
            this.historyRetention = positive(retention, "retention");
            return this;
        }

        /** Replaces the in-memory history store (e.g. with Redis); the hub closes it on close. */
        public Builder historyStore(HistoryStore store) {
            requireUnset(this.historyStore, "historyStore");
            this.historyStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Which rooms keep history and offsets (default: {@code job:*}). */
        public Builder historyRooms(Predicate<String> rule) {
            this.historyRooms = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** Cross-node fan-out (default: single node); the hub starts and closes it. */
        public Builder broker(Broker broker) {
            requireUnset(this.broker, "broker");
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /** This node's id in a cluster (default: random). */
        public Builder nodeId(String nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /**
         * Frames queued per connection before it counts as slow (default 1024). Queued progress is conflated;
         * a connection over the bound for {@link #slowConsumerTimeout} or at twice the bound is closed (1008).
         */
        public Builder sendQueueCapacity(int frames) {
            this.sendQueueCapacity = atLeast(frames, 1, "sendQueueCapacity");
            return this;
        }

        /**
         * Conflation of progress for clients that fall behind: once {@code frames} are waiting on a connection, a
         * new {@code *:progress} event of a stream replaces the one still queued (latest wins; default 16).
         * {@link Integer#MAX_VALUE} turns conflation off: every event is delivered, and a client that cannot keep
         * up reaches the send-queue bound sooner. Completions and errors are never conflated.
         */
        public Builder conflateAfter(int frames) {
            this.conflateAfter = atLeast(frames, 1, "conflateAfter");
            return this;
        }

        /** How long a connection may stay over its send-queue bound (default 10 s). */
        public Builder slowConsumerTimeout(Duration timeout) {
            this.slowConsumerTimeout = positive(timeout, "timeout");
            return this;
        }

        /** Largest inbound frame in bytes (default 1 MB); larger frames close the connection with 1009. */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = atLeast(bytes, 64, "maxFrameBytes");
            return this;
        }

        /** Deepest JSON nesting accepted in inbound payloads (default 32). */
        public Builder maxNestingDepth(int depth) {
            this.maxNestingDepth = atLeast(depth, 2, "maxNestingDepth");
            return this;
        }

        /** Threads of the hub-owned handler executor (default 2 x cores, at least 4). */
        public Builder handlerThreads(int threads) {
            this.handlerThreads = atLeast(threads, 1, "handlerThreads");
            return this;
        }

        /**
         * Threads that run connections' write loops (default: one per core). A publish then only enqueues, and a
         * fan-out to many connections uses every core; 0 writes on the publishing thread instead.
         */
        public Builder writerThreads(int threads) {
            this.writerThreads = atLeast(threads, 0, "writerThreads");
            return this;
        }

        /** Runs handlers on your executor; the hub never shuts it down. */
        public Builder handlerExecutor(ExecutorService executor) {
            requireUnset(this.handlerExecutor, "handlerExecutor");
            this.handlerExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Runs heartbeats on your scheduler; the hub never shuts it down. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            requireUnset(this.scheduler, "scheduler");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Source of time for timestamps, heartbeats and history retention (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The Jackson mapper for payloads (default: one with limits from {@link #maxNestingDepth}). */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Who may join which room. Default: everyone, every room, when no authenticator is set (development);
         * with an authenticator, {@link dev.realtime.core.security.RoomRules} (own user room, own jobs, admin for
         * the rest, application rooms by {@link #allowRooms}).
         */
        public Builder subscriptionPolicy(SubscriptionPolicy policy) {
            this.subscriptionPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Turns authentication on for every protocol (e.g. {@link dev.realtime.core.security.JwtAuthenticator}). */
        public Builder authenticator(dev.realtime.core.security.Authenticator authenticator) {
            requireUnset(this.authenticator, "authenticator");
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** Abuse limits (default {@link dev.realtime.core.security.Limits#defaults()}). */
        public Builder limits(dev.realtime.core.security.Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Origin allow-list for upgrade requests (403 otherwise); requests without Origin are not browsers. */
        public Builder allowedOrigins(java.util.Collection<String> origins) {
            this.allowedOrigins = java.util.Set.copyOf(origins);
            return this;
        }

        /** The role that may join every room under the default room rules (default {@code admin}). */
        public Builder adminRole(String role) {
            this.adminRole = Objects.requireNonNull(role, "role");
            return this;
        }

        /** Lets clients join application rooms starting with {@code prefix} when {@code rule} allows it. */
        public Builder allowRooms(String prefix, java.util.function.BiPredicate<Client, String> rule) {
            roomRules.put(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Socket.IO settings (default {@link SocketIoOptions#defaults()}); {@code null} disables Socket.IO. */
        public Builder socketIo(SocketIoOptions options) {
            this.socketIo = options;
            return this;
        }

        /**
         * The hub-wide log behind Socket.IO connection state recovery (default: in memory, 100,000 events for
         * the recovery window). A cluster needs a shared one (Redis). The hub closes it.
         */
        public Builder recoveryLog(RecoveryLog log) {
            requireUnset(this.recoveryLog, "recoveryLog");
            this.recoveryLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /** Where disconnected Socket.IO sessions wait for recovery (default: memory); shared in a cluster. */
        public Builder recoverySessions(dev.realtime.core.history.RecoverySessionStore store) {
            requireUnset(this.recoverySessions, "recoverySessions");
            this.recoverySessions = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Mirrors connection metadata and subscriptions elsewhere (e.g. Redis); the hub closes it. */
        public Builder clientRegistry(ClientRegistry registry) {
            this.clientRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Presence store (default: memory, 90 s entries refreshed by the hub); shared in a cluster. */
        public Builder presenceStore(dev.realtime.core.presence.PresenceStore store) {
            requireUnset(this.presenceStore, "presenceStore");
            this.presenceStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Rooms with presence (default {@code session:*}, seed 003): joining and leaving publish
         * {@code user:joined}, {@code user:left} and {@code user:disconnected} {@code {room, userId, timestamp}}
         * to the room, once per user however many tabs it has.
         */
        public Builder presenceRooms(Predicate<String> rule) {
            this.presenceRooms = Objects.requireNonNull(rule, "rule");
            return this;
        }

        public RealtimeHub build() {
            return new RealtimeHub(this);
        }
    }
}
