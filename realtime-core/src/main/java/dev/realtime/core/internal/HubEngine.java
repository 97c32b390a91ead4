package dev.realtime.core.internal;

import dev.realtime.core.Timestamps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.HubStats;
import dev.realtime.core.Protocol;
import dev.realtime.core.PublishResult;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.SubscriptionPolicy;
import dev.realtime.core.Transport;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.broker.Envelope;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.core.history.StreamPosition;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
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
    SubscriptionPolicy policy;
    final Predicate<String> historyRooms;
    final NativeCodec nativeCodec;
    /** Socket.IO settings, namespaces and recoverable sessions; null when Socket.IO is disabled. */
    final SocketIoOptions socketIo;
    final ConcurrentHashMap<String, NamespaceImpl> namespaces = new ConcurrentHashMap<>();
    final RecoveryLog recoveryLog;
    final dev.realtime.core.history.RecoverySessionStore recoverable;
    private final ConcurrentHashMap<String, RealConnection> connections = new ConcurrentHashMap<>();
    /** Where connection metadata and subscriptions are mirrored (Redis), or nothing. */
    final dev.realtime.core.ClientRegistry clients;
    /** Who is in which presence room, cluster-wide when shared. */
    final dev.realtime.core.presence.PresenceStore presence;
    final Predicate<String> presenceRooms;
    /** Local peers by id with the number of presence rooms they are in; refreshed in the store by the sweep. */
    private final ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> present = new ConcurrentHashMap<>();
    private volatile long lastPresenceRefresh;
    /** Null when the hub runs open (development). */
    public final dev.realtime.core.security.Authenticator authenticator;
    public final dev.realtime.core.security.Limits limits;
    /** Allowed Origin header values; null allows every origin. */
    final java.util.Set<String> allowedOrigins;
    /** Origin, handshake-rate and connection-count admission, counted per client address or user. */
    final Admission admission;
    private final AtomicLong ids = new AtomicLong();
    /** Part of every connection id naming this node, so ids are unique across a cluster. */
    private final String idTag;
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

    public HubEngine(HubSettings settings, ObjectMapper mapper, Clock clock, HistoryStore history, Broker broker,
                     String nodeId, SubscriptionPolicy policy, Predicate<String> historyRooms,
                     ScheduledExecutorService scheduler, ExecutorService handlerExecutor,
                     SocketIoOptions socketIo, RecoveryLog recoveryLog,
                     dev.realtime.core.security.Authenticator authenticator, dev.realtime.core.security.Limits limits,
                     java.util.Set<String> allowedOrigins,
                     dev.realtime.core.history.RecoverySessionStore recoverySessions,
                     dev.realtime.core.presence.PresenceStore presence, Predicate<String> presenceRooms,
                     dev.realtime.core.ClientRegistry clients, java.util.concurrent.Executor writer) {
        this.writer = writer == null ? null : new WriteScheduler(writer);
        this.presence = presence;
        this.presenceRooms = presenceRooms;
        this.clients = clients;
        this.settings = settings;
        this.mapper = mapper;
        this.clock = clock;
        this.history = history;
        this.broker = broker;
        this.nodeId = nodeId;
        this.idTag = nodeId.matches("[A-Za-z0-9_]{1,8}") ? nodeId
                : Long.toString(Integer.toUnsignedLong(nodeId.hashCode()), 36);
        this.policy = policy;
        this.historyRooms = historyRooms;
        this.scheduler = scheduler;
        this.handlers = new HandlerRegistry(mapper, handlerExecutor);
        this.registryExecutor = command -> {
            try {
                handlerExecutor.execute(command);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                command.run(); // shutting down: finish on this thread
            }
        };
        this.nativeCodec = new NativeCodec(mapper);
        this.authenticator = authenticator;
        this.limits = limits;
        this.allowedOrigins = allowedOrigins == null ? null : java.util.Set.copyOf(allowedOrigins);
        this.admission = new Admission(limits, allowedOrigins, settings.trustedProxies(), authenticator, counters,
                clock);
        this.engineIo = socketIo == null ? null : new EngineIoServer(this, socketIo);
        if (socketIo != null) {
            // seed the sid generator now: a first SecureRandom use can wait for entropy, and on the first
            // connection that wait would be on the container's thread, before the open packet
            SocketIoSession.randomId();
        }
        this.socketIo = socketIo;
        this.recoveryLog = socketIo != null && socketIo.recovery() ? recoveryLog : null;
        this.recoverable = recoverySessions;
        if (socketIo != null) {
            BuiltInNamespaces.register(this);
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
        scheduler.scheduleWithFixedDelay(this::sweep, tick, tick, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (recoveryLog != null) {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    recoveryLog.expire();
                } catch (RuntimeException e) {
                    log.warn("recovery log expiry failed: {}", e.toString());
                }
            }, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
        }
        broker.start(nodeId, this::deliverRemote, this::catchUpAll);
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
        String id = "c-" + idTag + "-" + Long.toString(ids.incrementAndGet(), 36);
        RealConnection c = new RealConnection(this, id, transport, settings.sendQueueCapacity());
        ProtocolSession session = protocol == Protocol.NATIVE ? new NativeSession(this, c)
                : new SocketIoSession(this, c, socketIo);
        c.attach(session);
        connections.put(id, c); // registered with its session, so the sweep never sees a half-built connection
        admission.connected(c.remoteIp);
        // greet first; the registry (Redis, say) is written off this thread, which is the container's: a slow
        // registry held the open packet back until the client gave up (the "could not attach ... The connection
        // has been closed" race on a fresh server)
        c.open();
        c.mirror(() -> clients.register(id, java.util.Map.of("node", nodeId, "protocol", protocol.name(),
                "remoteAddress", c.remoteIp, "connectedAt", clock.instant().toString())));
        return c;
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

    /** Whether a browser {@code Origin} may connect: the allow-list has it, or there is no allow-list. */
    boolean originAllowed(String origin) {
        return admission.originAllowed(java.util.Optional.of(origin));
    }

    void unregister(RealConnection c) {
        if (connections.remove(c.id, c)) {
            c.mirror(() -> clients.remove(c.id));
            admission.disconnected(c.remoteIp, c.principal);
        }
    }

    /** Counts a new authenticated connection of a user; false (not counted) when over the per-user limit. */
    boolean userConnected(String userId) {
        return admission.userConnected(userId);
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
        java.util.Optional<String> origin = handshake.header("Origin");
        if (!admission.originAllowed(origin)) {
            counters.handshakesRejected.increment();
            return new String[] {"403", "forbidden", "origin not allowed: " + origin.get()};
        }
        return null;
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
        for (RealConnection c : connections.values()) {
            c.abort(code, reason); // shutting down: no waiting for queues to drain
        }
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

    private void sweep() {
        try {
            long now = clock.millis();
            long nanos = System.nanoTime();
            for (RealConnection c : connections.values()) {
                c.tick(now, nanos);
            }
            refreshPresence(now);
        } catch (RuntimeException e) {
            log.error("heartbeat sweep failed", e);
        }
    }

    // ---- publishing -------------------------------------------------------------------------------------

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

    /**
     * Publishes an event to rooms. The first room that keeps history (by the history-room rule) is the event's
     * stream: the event is appended there first, so it gets an offset every node agrees on.
     *
     * @throws dev.realtime.core.StoreException when the history cannot be written; nothing was delivered
     */
    public PublishResult publish(List<String> targetRooms, String event, String data) {
        return publish(targetRooms, event, data, null);
    }

    /**
     * As {@link #publish(List, String, String)}; with an idempotency key, a repeated publish (a retry after a
     * timeout) stores nothing new: the first entry is delivered again under its own offset, which every
     * subscriber that already has it skips, and the result says {@code duplicate}.
     */
    public PublishResult publish(List<String> targetRooms, String event, String data, String idempotencyKey) {
        if (targetRooms.isEmpty()) {
            throw new IllegalArgumentException("no rooms");
        }
        Instant now = clock.instant();
        String stream = null;
        for (String r : targetRooms) {
            if (historyRooms.test(r)) {
                stream = r;
                break;
            }
        }
        if (stream != null && history instanceof dev.realtime.core.history.AnnouncingHistoryStore a
                && a.announcesThrough(broker, recoveryLog)) {
            return publishAnnounced(a, targetRooms, event, data, stream, now, idempotencyKey);
        }
        Envelope env;
        boolean duplicate = false;
        if (stream != null) {
            HistoryEntry entry = appendChecked(stream, event, data, now, idempotencyKey);
            duplicate = entry.duplicate();
            env = new Envelope(nodeId, targetRooms, entry.event(), entry.data(), stream, entry.offset(), entry.epoch(),
                    entry.timestamp(), 0);
        } else {
            env = new Envelope(nodeId, targetRooms, event, data, null, 0, null, now, 0);
        }
        env = duplicate ? env : logged(env);
        OutboundEvent out = Events.fromEnvelope(env);
        counters.published.increment();
        int delivered = deliverLocal(targetRooms, out);
        forward(env);
        return new PublishResult(out.stream, out.offset, out.epoch, delivered, duplicate);
    }

    /**
     * The atomic path: history append, recovery-log entry and cross-node publish are one step in the store (one
     * Lua script in Redis); this node then delivers to its own connections. The rollback check applies as on the
     * other path.
     */
    private PublishResult publishAnnounced(dev.realtime.core.history.AnnouncingHistoryStore store,
                                           List<String> targetRooms, String event, String data, String stream,
                                           Instant now, String idempotencyKey) {
        Envelope template = new Envelope(nodeId, targetRooms, event, data, stream, 0, null, now, 0);
        StreamPosition before = watermarks.getIfPresent(stream);
        var announced = store.appendAndAnnounce(template, idempotencyKey, recoveryLog != null);
        Envelope env = announced.envelope();
        if (before != null && !announced.duplicate() && env.epoch().equals(before.epoch())
                && env.offset() <= before.offset()) {
            counters.epochResets.increment();
            log.warn("history of {} rolled back (offset {} handed out again after {} in epoch {}): new epoch",
                    stream, env.offset(), before.offset(), before.epoch());
            store.newEpoch(stream);
            announced = store.appendAndAnnounce(template, null, recoveryLog != null);
            env = announced.envelope();
        }
        observe(stream, env.epoch(), env.offset());
        OutboundEvent out = Events.fromEnvelope(env);
        counters.published.increment();
        int delivered = deliverLocal(targetRooms, out);
        return new PublishResult(out.stream, out.offset, out.epoch, delivered, announced.duplicate());
    }

    /**
     * Appends and checks the offset against the highest one this node saw in the stream before the append began:
     * an append that gets an offset at or below it, in the same epoch, means the store rolled back (restored from
     * an older snapshot). Then the stream starts a new epoch and the event is appended again, so no client ever
     * receives a different event under an offset it already holds.
     */
    private HistoryEntry appendChecked(String stream, String event, String data, Instant now, String key) {
        StreamPosition before = watermarks.getIfPresent(stream);
        HistoryEntry entry = history.append(stream, event, data, now, key);
        if (before != null && !entry.duplicate() && entry.epoch().equals(before.epoch())
                && entry.offset() <= before.offset()) {
            counters.epochResets.increment();
            log.warn("history of {} rolled back (offset {} handed out again after {} in epoch {}): new epoch",
                    stream, entry.offset(), before.offset(), before.epoch());
            try {
                history.newEpoch(stream);
                entry = history.append(stream, event, data, now, null);
            } catch (UnsupportedOperationException e) {
                log.warn("the history store cannot start a new epoch; clients may drop events of {}", stream);
            }
        }
        observe(stream, entry.epoch(), entry.offset());
        return entry;
    }

    /** Remembers the highest offset seen per stream and epoch (appends here, envelopes from other nodes). */
    private void observe(String stream, String epoch, long offset) {
        watermarks.asMap().merge(stream, new StreamPosition(offset, epoch), (old, now) ->
                old.epoch().equals(now.epoch()) && old.offset() >= now.offset() ? old : now);
    }

    /** Highest offset seen per stream on this node: the rollback check of {@link #appendChecked}. */
    private final com.github.benmanes.caffeine.cache.Cache<String, StreamPosition> watermarks =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000)
                    .expireAfterAccess(java.time.Duration.ofHours(1)).build();

    /** Sends an event to every connection on this node (and, through the broker, on every node). */
    public int broadcast(String event, String data) {
        Envelope env = logged(new Envelope(nodeId, List.of(), event, data, null, 0, null, clock.instant(), 0));
        counters.published.increment();
        int n = broadcastLocal(Events.fromEnvelope(env));
        forward(env);
        return n;
    }

    private Envelope logged(Envelope env) {
        if (recoveryLog == null) {
            return env;
        }
        try {
            return env.withLogId(recoveryLog.append(env));
        } catch (RuntimeException e) {
            log.warn("recovery log append failed; this event cannot be recovered by Socket.IO clients: {}",
                    e.toString());
            return env;
        }
    }

    private void forward(Envelope env) {
        try {
            broker.publish(env);
        } catch (RuntimeException e) {
            log.warn("broker publish failed for {} on {}: {}", env.event(), env.rooms(), e.toString());
        }
    }

    private int broadcastLocal(OutboundEvent out) {
        int n = 0;
        for (RealConnection c : connections.values()) {
            c.broadcast(out);
            n++;
        }
        return n;
    }

    private void deliverRemote(Envelope e) {
        if (nodeId.equals(e.origin())) {
            return;
        }
        if (e.stream() != null && e.epoch() != null) {
            observe(e.stream(), e.epoch(), e.offset());
        }
        try {
            if (e.rooms().isEmpty()) {
                broadcastLocal(Events.fromEnvelope(e));
            } else {
                deliverLocal(e.rooms(), Events.fromEnvelope(e));
            }
        } catch (RuntimeException ex) {
            log.error("delivering a remote envelope failed", ex);
        }
    }

    int deliverLocal(List<String> targetRooms, OutboundEvent out) {
        int n = 0;
        if (targetRooms.size() == 1) {
            for (Subscription s : rooms.members(targetRooms.get(0))) {
                s.deliver(out);
                n++;
            }
            return n;
        }
        Set<Peer> seen = new HashSet<>();
        for (String room : targetRooms) {
            Collection<Subscription> members = rooms.members(room);
            for (Subscription s : members) {
                if (seen.add(s.peer)) {
                    s.deliver(out);
                    n++;
                }
            }
        }
        return n;
    }

    // ---- subscriptions ----------------------------------------------------------------------------------

    /**
     * Joins {@code peer} to {@code room}. With history, the join is gap-free: the subscription buffers live
     * events while history after {@code since} is read and sent, then drains the buffer skipping what was sent.
     *
     * @param since      offset the client has seen, or null to start live from now
     * @param sinceEpoch epoch the client's offset belongs to, or null when unknown
     * @return the subscription (already live), or the existing one if the peer was a member
     */
    Subscription subscribe(Peer peer, Subscriptions owned, String requestId, String room, Long since,
                           String sinceEpoch) {
        if (!policy.mayJoin(peer, room)) {
            throw new RealtimeException(ErrorCode.FORBIDDEN, "not allowed to join " + room);
        }
        if (owned.get(room) == null && owned.size() >= limits.roomsPerConnection()) {
            counters.rateLimited.increment();
            throw new RealtimeException(ErrorCode.RATE_LIMITED, "room limit reached: "
                    + limits.roomsPerConnection() + " rooms per connection");
        }
        boolean withHistory = historyRooms.test(room);
        Subscription existing = owned.get(room);
        if (existing != null && since == null) {
            peer.subscribed(requestId, room, withHistory ? history.position(room) : null, null);
            return existing;
        }
        if (existing != null) {
            owned.remove(room);
            rooms.remove(existing);
        }
        Subscription s = new Subscription(peer, room, history, withHistory);
        if (!withHistory) {
            owned.put(room, s);
            rooms.add(s);
            peer.subscribed(requestId, room, null, since == null ? null : Boolean.FALSE);
            if (existing == null) {
                joined(peer, room);
            }
            return s;
        }
        owned.put(room, s);
        rooms.add(s); // buffering: live events from here on are kept
        if (existing == null) {
            joined(peer, room);
        }
        try {
            if (since == null) {
                StreamPosition top = history.position(room);
                peer.subscribed(requestId, room, top, null);
                s.goLive(top.offset(), top.epoch());
                return s;
            }
            HistoryPage page = history.read(room, since, settings.maxReplay());
            // "none" is the epoch of a stream that did not exist yet: from offset 0 every epoch is new to the client
            boolean sameEpoch = sinceEpoch == null || sinceEpoch.equals(page.position().epoch())
                    || (since == 0 && "none".equals(sinceEpoch));
            // the replay must reach the top: one cut by the replay limit (or by the store) is a gap, said as such
            long reached = page.entries().isEmpty() ? since : page.entries().get(page.entries().size() - 1).offset();
            boolean recovered = sameEpoch && page.complete() && reached >= page.position().offset();
            peer.subscribed(requestId, room, page.position(), recovered);
            if (recovered) {
                long last = since;
                for (HistoryEntry e : page.entries()) {
                    peer.send(Events.fromHistory(e), room);
                    last = e.offset();
                }
                s.goLive(last, page.position().epoch());
            } else {
                // a gap: the client must reload; send the stream's current state (its latest event)
                HistoryPage latest = history.read(room, Math.max(0, page.position().offset() - 1), 1);
                long last = page.position().offset();
                for (HistoryEntry e : latest.entries()) {
                    peer.send(Events.fromHistory(e), room);
                }
                s.goLive(last, page.position().epoch());
            }
            return s;
        } catch (RuntimeException e) {
            owned.remove(room);
            rooms.remove(s);
            throw e;
        }
    }

    void unsubscribe(Subscriptions owned, String room) {
        Subscription s = owned.remove(room);
        if (s != null) {
            rooms.remove(s);
            left(s.peer, room, false);
        }
    }

    /** Leaves every room because the peer went away. */
    void leaveAll(Subscriptions owned) {
        for (Subscription s : owned.clear()) {
            rooms.remove(s);
            left(s.peer, s.room, true);
        }
    }

    /** An application-level join (no authorization check, no history replay). */
    void join(Peer peer, Subscriptions owned, String room) {
        if (!Rooms.valid(room)) {
            throw new IllegalArgumentException("invalid room name: " + room);
        }
        if (owned.get(room) == null) {
            Subscription s = new Subscription(peer, room, history, false);
            owned.put(room, s);
            rooms.add(s);
            joined(peer, room);
        }
    }

    // ---- presence ---------------------------------------------------------------------------------------

    private static String presenceUser(Peer peer) {
        return peer.userId().orElse(peer.id());
    }

    /** Runs a call to the client registry; a failing registry never affects connections. */
    private void mirror(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("client registry call failed: {}", e.toString());
        }
    }

    private void joined(Peer peer, String room) {
        peer.connection().mirror(() -> clients.subscribe(peer.connection().id, room));
        if (!presenceRooms.test(room)) {
            return;
        }
        present.computeIfAbsent(peer.id(), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        String user = presenceUser(peer);
        try {
            if (presence.join(room, user, peer.id())) {
                publishPresence(room, "user:joined", user);
            }
        } catch (RuntimeException e) {
            log.warn("presence join failed for {} in {}: {}", user, room, e.toString());
        }
    }

    private void left(Peer peer, String room, boolean disconnected) {
        if (!disconnected) {
            peer.connection().mirror(() -> clients.unsubscribe(peer.connection().id, room));
        }
        if (!presenceRooms.test(room)) {
            return;
        }
        present.computeIfPresent(peer.id(), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        String user = presenceUser(peer);
        try {
            if (presence.leave(room, user, peer.id())) {
                publishPresence(room, disconnected ? "user:disconnected" : "user:left", user);
            }
        } catch (RuntimeException e) {
            log.warn("presence leave failed for {} in {}: {}", user, room, e.toString());
        }
    }

    private void publishPresence(String room, String event, String user) {
        com.fasterxml.jackson.databind.node.ObjectNode data = mapper.createObjectNode();
        data.put("room", room);
        if (room.startsWith("session:")) {
            data.put("sessionId", room.substring("session:".length()));
        }
        data.put("userId", user);
        data.put("timestamp", Timestamps.format(clock.instant()));
        try {
            publish(List.of(room), event, data.toString());
        } catch (RuntimeException e) {
            log.warn("presence event {} for {} could not be published: {}", event, room, e.toString());
        }
    }

    /** Users present in a room, cluster-wide when the store is shared. */
    public java.util.Set<String> presence(String room) {
        return presence.members(room);
    }

    /** Keeps the heartbeat sweep free of store I/O: the refresh runs as its own background task. */
    private void refreshPresence(long now) {
        if (now - lastPresenceRefresh < PRESENCE_REFRESH_MILLIS || !refreshing.compareAndSet(false, true)) {
            return;
        }
        lastPresenceRefresh = now;
        try {
            background(() -> {
                try {
                    refreshStores();
                } finally {
                    refreshing.set(false);
                }
            });
        } catch (RuntimeException e) {
            refreshing.set(false); // shutting down
        }
    }

    /** Set while a presence/registry refresh task runs, so that a slow store never piles refreshes up. */
    private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();

    private void refreshStores() {
        if (!present.isEmpty()) {
            try {
                presence.refresh(List.copyOf(present.keySet()));
            } catch (RuntimeException e) {
                log.warn("presence refresh failed: {}", e.toString());
            }
        }
        if (!connections.isEmpty()) {
            mirror(() -> clients.refresh(List.copyOf(connections.keySet())));
        }
    }

    /** How often live presence entries are refreshed; stores keep entries for several times this. */
    static final long PRESENCE_REFRESH_MILLIS = 20_000;

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
