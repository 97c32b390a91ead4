package dev.realtime.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.core.internal.HubEngine;
import dev.realtime.core.jobs.JobPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
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
    private final HubThreads threads;
    private final HubParts parts;
    /** The cluster backend given to the builder, closed after the hub's parts; or null. */
    private final ClusterBackend backend;
    private final HandshakeCheck handshakeCheck;

    private RealtimeHub(Builder b) {
        ObjectMapper mapper = b.mapperOrDefault();
        Clock clock = b.clock != null ? b.clock : Clock.systemUTC();
        ClusterBackend cluster = b.backend;
        this.backend = cluster;
        HistoryStore history = b.historyStore != null ? b.historyStore : cluster != null ? cluster.history()
                : HistoryStore.inMemory(b.historySize, b.historyRetention, clock);
        this.threads = new HubThreads(b.scheduler, b.handlerExecutor, b.handlerThreads, b.writerThreads);
        HubSettings settings = new HubSettings(b.heartbeatInterval, b.heartbeatTimeout, b.sendQueueCapacity,
                b.sendQueueBytes, b.slowConsumerTimeout, b.maxFrameBytes, b.replayLimit, b.conflateAfter, b.trustedProxies);
        this.engine = new HubEngine(new dev.realtime.core.internal.EngineParts(settings, mapper, clock, history,
                b.broker != null ? b.broker : cluster != null ? cluster.broker() : Broker.local(),
                b.nodeId != null ? b.nodeId : UUID.randomUUID().toString(),
                b.subscriptionPolicy, b.historyRooms,
                threads.scheduler(), threads.handlerExecutor(),
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
                        : ClientRegistry.none(), threads.writer(), b.ticker));
        this.parts = new HubParts(engine.history, engine.broker, engine.recoveryLogOrNull(),
                engine.recoverySessionStore(), engine.presenceStore(), engine.clientRegistry());
        this.handshakeCheck = new HandshakeCheck(b.handshakeFilter, engine.socketIoOptions() != null,
                engine::checkUpgrade);
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
            return java.util.Optional.of(HandshakeCheck.refused(refusal, engine.json(refusal[2])));
        }
        return handshakeCheck.check(protocol, handshake, upgrade);
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
     * (the hub closes what it owns). Its {@code recoveryLog()} is null when Socket.IO recovery is off.
     */
    public ClusterBackend parts() {
        return parts;
    }

    /** The settings this hub runs with. */
    public HubSettings settings() {
        return engine.settings;
    }

    /** Closes all connections (1001), stops the threads this hub created, and closes the store and broker. */
    @Override
    public void close() {
        engine.closeAll(1001, "server shutting down");
        threads.shutdown();
        parts.closeAll();
        if (backend != null) {
            try {
                backend.close();
            } catch (RuntimeException e) {
                log.warn("cluster backend close failed", e);
            }
        }
    }

    /**
     * Configures a {@link RealtimeHub}. Every setter validates its argument and fails fast; defaults suit a
     * single node in memory. Not thread-safe; build once.
     */
    public static final class Builder extends AbstractHubBuilder {
        private Builder() {
        }

        public RealtimeHub build() {
            return new RealtimeHub(this);
        }
    }
}
