package dev.realtime.core;

import static dev.realtime.core.Checks.positive;
import static dev.realtime.core.Checks.atLeast;
import static dev.realtime.core.Checks.requireUnset;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * The settings and setters of {@link RealtimeHub.Builder}, the type callers name: every setter validates its
 * argument, fails fast and returns the builder; the hub reads the fields when it is built. Not thread-safe.
 */
abstract class AbstractHubBuilder {
    Duration heartbeatInterval = Defaults.HEARTBEAT_INTERVAL;
    Duration heartbeatTimeout = Defaults.HEARTBEAT_TIMEOUT;
    int historySize = Defaults.HISTORY_SIZE;
    int replayLimit = Defaults.REPLAY_LIMIT;
    Duration historyRetention = Defaults.HISTORY_RETENTION;
    int sendQueueCapacity = Defaults.SEND_QUEUE_CAPACITY;
    long sendQueueBytes = Defaults.SEND_QUEUE_BYTES;
    Duration slowConsumerTimeout = Defaults.SLOW_CONSUMER_TIMEOUT;
    int maxFrameBytes = Defaults.MAX_FRAME_BYTES;
    int maxNestingDepth = Defaults.MAX_NESTING_DEPTH;
    int handlerThreads = Defaults.handlerThreads();
    int writerThreads = Defaults.writerThreads();
    int conflateAfter = Defaults.CONFLATE_AFTER;
    Clock clock;
    ObjectMapper mapper;
    HistoryStore historyStore;
    Broker broker;
    String nodeId;
    ScheduledExecutorService scheduler;
    ExecutorService handlerExecutor;
    SubscriptionPolicy subscriptionPolicy;
    dev.realtime.core.security.Authenticator authenticator;
    dev.realtime.core.security.Limits limits = dev.realtime.core.security.Limits.defaults();
    java.util.Set<String> allowedOrigins;
    String adminRole = Defaults.ADMIN_ROLE;
    final java.util.Map<String, java.util.function.BiPredicate<Client, String>> roomRules =
            new java.util.LinkedHashMap<>();
    Predicate<String> historyRooms = room -> room.startsWith("job:");
    SocketIoOptions socketIo = SocketIoOptions.defaults();
    dev.realtime.core.history.RecoverySessionStore recoverySessions;
    dev.realtime.core.presence.PresenceStore presenceStore;
    ClientRegistry clientRegistry;
    Predicate<String> presenceRooms = room -> room.startsWith("session:");
    RecoveryLog recoveryLog;
    dev.realtime.core.security.TrustedProxies trustedProxies =
            dev.realtime.core.security.TrustedProxies.none();
    ClusterBackend backend;
    HandshakeFilter handshakeFilter;
    java.util.function.LongSupplier ticker = System::nanoTime;

    AbstractHubBuilder() {
    }

    private RealtimeHub.Builder self() {
        return (RealtimeHub.Builder) this;
    }

    /** The mapper set, or else one bounded by {@link #maxNestingDepth} and {@link #maxFrameBytes}. */
    ObjectMapper mapperOrDefault() {
        if (mapper != null) {
            return mapper;
        }
        ObjectMapper m = new ObjectMapper();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxFrameBytes)
                .maxNumberLength(100)
                .build());
        m.findAndRegisterModules();
        return m;
    }

    /**
     * The monotonic time source for durations (how long a send queue has been over its bound), in
     * nanoseconds; {@code System::nanoTime} by default. Wall-clock times (heartbeats, tokens, timestamps,
     * presence) come from {@link #clock}. Tests pass fake ones to run on fake time.
     */
    public RealtimeHub.Builder ticker(java.util.function.LongSupplier ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return self();
    }

    /** The application's own handshake check (Socket.IO's {@code allowRequest}); see {@link HandshakeFilter}. */
    public RealtimeHub.Builder allowRequest(HandshakeFilter filter) {
        this.handshakeFilter = Objects.requireNonNull(filter, "filter");
        return self();
    }

    /**
     * The shared state of a cluster in one call (e.g. {@code RedisBackend.create(url)}): history, broker,
     * recovery log and sessions, presence and the client registry, unless set one by one. The hub closes it.
     */
    public RealtimeHub.Builder backend(ClusterBackend backend) {
        requireUnset(this.backend, "backend");
        this.backend = Objects.requireNonNull(backend, "backend");
        return self();
    }

    /**
     * The reverse proxies whose {@code Forwarded} / {@code X-Forwarded-For} headers name the client address that
     * per-address limits count (default: none, the peer address counts). Set this when the server runs behind a
     * load balancer, or every user behind it shares one address's limits.
     */
    public RealtimeHub.Builder trustedProxies(dev.realtime.core.security.TrustedProxies proxies) {
        this.trustedProxies = Objects.requireNonNull(proxies, "proxies");
        return self();
    }

    /** Server ping period (default 30 s); a client silent for interval + timeout is closed (1001). */
    public RealtimeHub.Builder heartbeat(Duration interval, Duration timeout) {
        this.heartbeatInterval = positive(interval, "interval");
        this.heartbeatTimeout = positive(timeout, "timeout");
        return self();
    }

    /** Events kept per history stream (default 100). */
    public RealtimeHub.Builder historySize(int size) {
        this.historySize = atLeast(size, 1, "historySize");
        return self();
    }

    /**
     * The most events one resume replays (default 1,000), independent of what the store keeps. A client that
     * missed more gets {@code recovered:false} and the stream's current state, never a silently truncated
     * replay.
     */
    public RealtimeHub.Builder replayLimit(int events) {
        this.replayLimit = atLeast(events, 1, "replayLimit");
        return self();
    }

    /** How long history is kept (default 24 h). */
    public RealtimeHub.Builder historyRetention(Duration retention) {
        this.historyRetention = positive(retention, "retention");
        return self();
    }

    /** Replaces the in-memory history store (e.g. with Redis); the hub closes it on close. */
    public RealtimeHub.Builder historyStore(HistoryStore store) {
        requireUnset(this.historyStore, "historyStore");
        this.historyStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /** Which rooms keep history and offsets (default: {@code job:*}). */
    public RealtimeHub.Builder historyRooms(Predicate<String> rule) {
        this.historyRooms = Objects.requireNonNull(rule, "rule");
        return self();
    }

    /** Cross-node fan-out (default: single node); the hub starts and closes it. */
    public RealtimeHub.Builder broker(Broker broker) {
        requireUnset(this.broker, "broker");
        this.broker = Objects.requireNonNull(broker, "broker");
        return self();
    }

    /** This node's id in a cluster (default: random). */
    public RealtimeHub.Builder nodeId(String nodeId) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        return self();
    }

    /**
     * Frames queued per connection before it counts as slow (default 1024). Queued progress is conflated;
     * a connection over the bound for {@link #slowConsumerTimeout} or at twice the bound is closed (1008).
     */
    public RealtimeHub.Builder sendQueueCapacity(int frames) {
        this.sendQueueCapacity = atLeast(frames, 1, "sendQueueCapacity");
        return self();
    }

    /**
     * Bytes queued per connection before it counts as slow (default 16 MiB), next to the frame bound: a client
     * that falls behind on large frames is treated like one behind on many.
     *
     * @since 0.3
     */
    public RealtimeHub.Builder sendQueueBytes(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("sendQueueBytes must be at least 1024: " + bytes);
        }
        this.sendQueueBytes = bytes;
        return self();
    }

    /**
     * Conflation of progress for clients that fall behind: once {@code frames} progress events are waiting on a
     * connection, a new {@code *:progress} event of a stream replaces the one still queued (latest wins; default
     * 16). Other frames waiting (a resume's replay, completions, errors) do not count.
     * {@link Integer#MAX_VALUE} turns conflation off: every event is delivered, and a client that cannot keep
     * up reaches the send-queue bound sooner. Completions and errors are never conflated.
     */
    public RealtimeHub.Builder conflateAfter(int frames) {
        this.conflateAfter = atLeast(frames, 1, "conflateAfter");
        return self();
    }

    /** How long a connection may stay over its send-queue bound (default 10 s). */
    public RealtimeHub.Builder slowConsumerTimeout(Duration timeout) {
        this.slowConsumerTimeout = positive(timeout, "timeout");
        return self();
    }

    /** Largest inbound frame in bytes (default 1 MB); larger frames close the connection with 1009. */
    public RealtimeHub.Builder maxFrameBytes(int bytes) {
        this.maxFrameBytes = atLeast(bytes, 64, "maxFrameBytes");
        return self();
    }

    /** Deepest JSON nesting accepted in inbound payloads (default 32). */
    public RealtimeHub.Builder maxNestingDepth(int depth) {
        this.maxNestingDepth = atLeast(depth, 2, "maxNestingDepth");
        return self();
    }

    /** Threads of the hub-owned handler executor (default 2 x cores, at least 4). */
    public RealtimeHub.Builder handlerThreads(int threads) {
        this.handlerThreads = atLeast(threads, 1, "handlerThreads");
        return self();
    }

    /**
     * Threads that run connections' write loops (default: one per core). A publish then only enqueues, and a
     * fan-out to many connections uses every core; 0 writes on the publishing thread instead.
     */
    public RealtimeHub.Builder writerThreads(int threads) {
        this.writerThreads = atLeast(threads, 0, "writerThreads");
        return self();
    }

    /** Runs handlers on your executor; the hub never shuts it down. */
    public RealtimeHub.Builder handlerExecutor(ExecutorService executor) {
        requireUnset(this.handlerExecutor, "handlerExecutor");
        this.handlerExecutor = Objects.requireNonNull(executor, "executor");
        return self();
    }

    /** Runs heartbeats on your scheduler; the hub never shuts it down. */
    public RealtimeHub.Builder scheduler(ScheduledExecutorService scheduler) {
        requireUnset(this.scheduler, "scheduler");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return self();
    }

    /** Source of time for timestamps, heartbeats and history retention (default UTC system clock). */
    public RealtimeHub.Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The Jackson mapper for payloads (default: one with limits from {@link #maxNestingDepth}). */
    public RealtimeHub.Builder objectMapper(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        return self();
    }

    /**
     * Who may join which room. Default: everyone, every room, when no authenticator is set (development);
     * with an authenticator, {@link dev.realtime.core.security.RoomRules} (own user room, own jobs, admin for
     * the rest, application rooms by {@link #allowRooms}).
     */
    public RealtimeHub.Builder subscriptionPolicy(SubscriptionPolicy policy) {
        this.subscriptionPolicy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /** Turns authentication on for every protocol (e.g. {@link dev.realtime.core.security.JwtAuthenticator}). */
    public RealtimeHub.Builder authenticator(dev.realtime.core.security.Authenticator authenticator) {
        requireUnset(this.authenticator, "authenticator");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        return self();
    }

    /** Abuse limits (default {@link dev.realtime.core.security.Limits#defaults()}). */
    public RealtimeHub.Builder limits(dev.realtime.core.security.Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return self();
    }

    /** Origin allow-list for upgrade requests (403 otherwise); requests without Origin are not browsers. */
    public RealtimeHub.Builder allowedOrigins(java.util.Collection<String> origins) {
        this.allowedOrigins = java.util.Set.copyOf(origins);
        return self();
    }

    /** The role that may join every room under the default room rules (default {@code admin}). */
    public RealtimeHub.Builder adminRole(String role) {
        this.adminRole = Objects.requireNonNull(role, "role");
        return self();
    }

    /** Lets clients join application rooms starting with {@code prefix} when {@code rule} allows it. */
    public RealtimeHub.Builder allowRooms(String prefix, java.util.function.BiPredicate<Client, String> rule) {
        roomRules.put(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(rule, "rule"));
        return self();
    }

    /** Socket.IO settings (default {@link SocketIoOptions#defaults()}); {@code null} disables Socket.IO. */
    public RealtimeHub.Builder socketIo(SocketIoOptions options) {
        this.socketIo = options;
        return self();
    }

    /**
     * The hub-wide log behind Socket.IO connection state recovery (default: in memory, 100,000 events for
     * the recovery window). A cluster needs a shared one (Redis). The hub closes it.
     */
    public RealtimeHub.Builder recoveryLog(RecoveryLog log) {
        requireUnset(this.recoveryLog, "recoveryLog");
        this.recoveryLog = Objects.requireNonNull(log, "log");
        return self();
    }

    /** Where disconnected Socket.IO sessions wait for recovery (default: memory); shared in a cluster. */
    public RealtimeHub.Builder recoverySessions(dev.realtime.core.history.RecoverySessionStore store) {
        requireUnset(this.recoverySessions, "recoverySessions");
        this.recoverySessions = Objects.requireNonNull(store, "store");
        return self();
    }

    /** Mirrors connection metadata and subscriptions elsewhere (e.g. Redis); the hub closes it. */
    public RealtimeHub.Builder clientRegistry(ClientRegistry registry) {
        this.clientRegistry = Objects.requireNonNull(registry, "registry");
        return self();
    }

    /** Presence store (default: memory, 90 s entries refreshed by the hub); shared in a cluster. */
    public RealtimeHub.Builder presenceStore(dev.realtime.core.presence.PresenceStore store) {
        requireUnset(this.presenceStore, "presenceStore");
        this.presenceStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * Rooms with presence (default {@code session:*}, seed 003): joining and leaving publish
     * {@code user:joined}, {@code user:left} and {@code user:disconnected} {@code {room, userId, timestamp}}
     * to the room, once per user however many tabs it has.
     */
    public RealtimeHub.Builder presenceRooms(Predicate<String> rule) {
        this.presenceRooms = Objects.requireNonNull(rule, "rule");
        return self();
    }
}
