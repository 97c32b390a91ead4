package dev.realtime.jakarta.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.history.StreamPosition;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java client for the native protocol, on the Tyrus standalone client: it keeps one connection alive,
 * re-subscribes its rooms after every reconnect from the last offset and epoch it saw (so the server replays
 * exactly the missed events), answers heartbeats and detects a silent server.
 *
 * <pre>{@code
 * try (RealtimeClient client = RealtimeClient.builder(URI.create("ws://localhost:8080/ws")).build()) {
 *     client.on("job:progress", JobProgress.class, (room, p) -> log.info("{}: {}%", room, p.progress()));
 *     client.on("job:completed", JobCompleted.class, (room, c) -> done.countDown());
 *     client.connect();
 *     client.subscribe("job:42");
 *     JsonNode reply = client.emit("generate-quiz", request).get(10, SECONDS);
 * }
 * }</pre>
 *
 * <p><b>Reconnects.</b> When the connection drops (or the server stays silent for its heartbeat interval plus
 * {@link Builder#heartbeatGrace}) the client reconnects after an exponential backoff with full jitter, forever
 * unless {@link Builder#maxReconnectAttempts} says otherwise. Duplicates are filtered by offset; a resume that
 * could not be served gap-free is reported through {@link ClientListener#onGap}.
 *
 * <p><b>Emits.</b> {@link #emit} returns a future completed with the server's ack data, or exceptionally with a
 * {@link RealtimeClientException} carrying the error code. While disconnected, emits wait in a bounded offline
 * queue and are sent after reconnecting; beyond the bound they fail at once ({@code offline_queue_full}). Emits
 * in flight when a connection drops fail with {@code disconnected} (the server may or may not have run them).
 *
 * <p><b>Threads.</b> The client owns one event thread (all state changes, timers and every listener callback, in
 * order) and one connector thread (blocking connect and close calls); {@link #close()} stops both, and shuts down
 * the Tyrus {@link ClientManager} unless it was supplied by the caller. All public methods are thread-safe and
 * never block, except {@link #close()}.
 *
 * @since 0.1
 */
public final class RealtimeClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealtimeClient.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** Connection state, as seen by {@link #state()}. */
    public enum State {
        /** Built, {@link #connect()} not called yet. */
        IDLE,
        /** Opening a connection, or waiting for the server's greeting. */
        CONNECTING,
        /** Connected and greeted. */
        OPEN,
        /** Disconnected, waiting to reconnect. */
        WAITING,
        /** Closed by {@link #close()}, or gave up reconnecting. */
        CLOSED
    }

    private final URI uri;
    private final ObjectMapper mapper;
    private final Backoff backoff;
    private final int maxReconnectAttempts;
    private final long heartbeatGraceMillis;
    private final int offlineQueueSize;
    private final long ackTimeoutMillis;
    private final int maxMessageBytes;
    private final Map<String, String> headers;
    private final ClientManager manager;
    private final boolean ownsManager;
    private final ScheduledExecutorService loop;
    private final ExecutorService connector;
    private final ClientEndpointConfig endpointConfig;

    private final CopyOnWriteArrayList<ClientListener> clientListeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, CopyOnWriteArrayList<EventListener>> eventListeners =
            new ConcurrentHashMap<>();
    /** Last position per subscribed history room, readable from any thread. */
    private final ConcurrentHashMap<String, StreamPosition> positions = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    /** Nanos of the last inbound frame; written by the I/O thread. */
    private volatile long lastFrameNanos;
    private volatile State state = State.IDLE;
    /** The event thread, to recognize calls made from listeners. */
    private volatile Thread loopThread;

    // ---- confined to the event thread ------------------------------------------------------------------
    /** Incremented for every connection attempt; callbacks of older connections are ignored. */
    private int generation;
    private Session session;
    private int attempts;
    private boolean everConnected;
    private long heartbeatMillis = 30_000;
    private long nextId;
    private ScheduledFuture<?> heartbeatTask;
    private final Map<String, RoomState> rooms = new LinkedHashMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final ArrayDeque<QueuedEmit> offline = new ArrayDeque<>();

    private RealtimeClient(Builder b) {
        this.uri = b.uri;
        this.mapper = b.mapper != null ? b.mapper
                : new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.backoff = new Backoff(b.initialDelay, b.maxDelay, () -> ThreadLocalRandom.current().nextDouble());
        this.maxReconnectAttempts = b.maxReconnectAttempts;
        this.heartbeatGraceMillis = b.heartbeatGrace.toMillis();
        this.offlineQueueSize = b.offlineQueueSize;
        this.ackTimeoutMillis = b.ackTimeout.toMillis();
        this.maxMessageBytes = b.maxMessageBytes;
        this.headers = Map.copyOf(b.headers);
        this.ownsManager = b.manager == null;
        this.manager = b.manager != null ? b.manager : ownedManager(b.connectTimeout);
        int n = CLIENTS.incrementAndGet();
        ScheduledThreadPoolExecutor events = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = daemon("realtime-client-" + n).newThread(r);
            loopThread = t;
            return t;
        });
        // timers (ack timeouts, reconnects) must not keep a closed client's thread alive
        events.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        events.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        events.setRemoveOnCancelPolicy(true);
        this.loop = events;
        this.connector = Executors.newSingleThreadExecutor(daemon("realtime-client-" + n + "-connect"));
        this.endpointConfig = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> h) {
                        headers.forEach((k, v) -> h.put(k, List.of(v)));
                    }
                }).build();
    }

    /** A builder for a client of the native endpoint at {@code uri} ({@code ws://} or {@code wss://}). */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    // ---- public API -------------------------------------------------------------------------------------

    /**
     * Starts connecting (once; later calls return the same future).
     *
     * @return completes when the server first greets the client; fails if the client is closed or gives up first
     */
    public CompletableFuture<Void> connect() {
        run(() -> {
            if (state == State.IDLE) {
                openConnection();
            }
        });
        return firstConnect;
    }

    /** Subscribes to a room, live from now (or resuming from the last offset seen, after reconnects). */
    public CompletableFuture<SubscribeResult> subscribe(String room) {
        return subscribe(room, null, null);
    }

    /**
     * Subscribes to a history room resuming after {@code since} in {@code epoch} (e.g. a position persisted from
     * an earlier run): the server replays the events after it, or reports a gap.
     */
    public CompletableFuture<SubscribeResult> subscribe(String room, long since, String epoch) {
        if (since < 0) {
            throw new IllegalArgumentException("since must be >= 0: " + since);
        }
        return subscribe(room, Long.valueOf(since), epoch);
    }

    private CompletableFuture<SubscribeResult> subscribe(String room, Long since, String epoch) {
        requireRoom(room);
        CompletableFuture<SubscribeResult> f = new CompletableFuture<>();
        run(() -> {
            if (state == State.CLOSED) {
                f.completeExceptionally(closedException());
                return;
            }
            RoomState rs = rooms.get(room);
            if (rs == null) {
                rs = new RoomState(room);
                rooms.put(room, rs);
            }
            if (since != null) {
                rs.offset = since;
                rs.epoch = epoch;
                rs.confirmed = null;
            }
            if (rs.confirmed != null) {
                f.complete(rs.confirmed);
                return;
            }
            rs.waiters.add(f);
            if (state == State.OPEN && !rs.inFlight) {
                sendSubscribe(rs);
            }
        }, f);
        return f;
    }

    /** Leaves a room; completes when the server confirms (at once when disconnected). */
    public CompletableFuture<Void> unsubscribe(String room) {
        requireRoom(room);
        CompletableFuture<Void> f = new CompletableFuture<>();
        run(() -> {
            RoomState rs = rooms.remove(room);
            positions.remove(room);
            if (rs != null) {
                rs.waiters.forEach(w -> w.completeExceptionally(
                        new RealtimeClientException(RealtimeClientException.CLOSED, "unsubscribed from " + room)));
            }
            if (state != State.OPEN) {
                f.complete(null);
                return;
            }
            String id = nextId();
            ObjectNode msg = mapper.createObjectNode().put("type", "unsubscribe").put("id", id).put("room", room);
            pending.put(id, new Pending(f, null));
            sendText(msg.toString());
        }, f);
        return f;
    }

    /**
     * Sends a client event and waits for its acknowledgement.
     *
     * @param data any Jackson-serializable value, or {@code null}
     * @return the ack's data; fails with {@link RealtimeClientException} (server error code, or
     *         {@code offline_queue_full}, {@code timeout}, {@code disconnected}, {@code closed})
     */
    public CompletableFuture<JsonNode> emit(String event, Object data) {
        if (event == null || event.isEmpty()) {
            throw new IllegalArgumentException("event must not be empty");
        }
        JsonNode payload = mapper.valueToTree(data);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        run(() -> {
            if (state == State.CLOSED) {
                f.completeExceptionally(closedException());
            } else if (state == State.OPEN) {
                sendEmit(event, payload, f);
            } else if (offline.size() >= offlineQueueSize) {
                f.completeExceptionally(new RealtimeClientException(RealtimeClientException.OFFLINE_QUEUE_FULL,
                        "not connected and " + offlineQueueSize + " emits are already queued"));
            } else {
                offline.add(new QueuedEmit(event, payload, f));
            }
        }, f);
        return f;
    }

    /** Listens to events named {@code event} ({@code "*"} for all) with their room, offset and raw data. */
    public RealtimeClient on(String event, EventListener listener) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(listener, "listener");
        eventListeners.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(listener);
        return this;
    }

    /** Listens to events named {@code event} with the payload converted to {@code type}. */
    public <T> RealtimeClient on(String event, Class<T> type, TypedListener<T> listener) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listener, "listener");
        return on(event, e -> {
            T payload;
            try {
                payload = mapper.treeToValue(e.data(), type);
            } catch (Exception ex) {
                log.warn("cannot convert '{}' payload to {}: {}", e.event(), type.getSimpleName(), ex.toString());
                return;
            }
            listener.onEvent(e.room(), payload);
        });
    }

    /** Adds a lifecycle listener (connected, disconnected, gap, error). */
    public RealtimeClient addListener(ClientListener listener) {
        clientListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The last offset and epoch seen in a subscribed history room. */
    public Optional<StreamPosition> position(String room) {
        return Optional.ofNullable(positions.get(room));
    }

    /** The current state. */
    public State state() {
        return state;
    }

    /** Whether the client is connected and greeted. */
    public boolean isConnected() {
        return state == State.OPEN;
    }

    /**
     * Closes the connection (1000), fails pending requests and queued emits with {@code closed}, and stops the
     * client's threads. Idempotent; blocks for at most a few seconds.
     */
    @Override
    public void close() {
        Runnable shutdown = () -> {
            if (state == State.CLOSED && session == null) {
                return;
            }
            state = State.CLOSED;
            generation++;
            cancelHeartbeat();
            closeSession(session, CloseReason.CloseCodes.NORMAL_CLOSURE, "client closed");
            session = null;
            failAll(closedException(), true);
            firstConnect.completeExceptionally(closedException());
        };
        boolean onLoop = Thread.currentThread() == loopThread;
        if (onLoop) {
            shutdown.run(); // close() called from a listener
        } else {
            closeOnLoop(shutdown);
        }
        loop.shutdown();
        connector.shutdown();
        try {
            if (!onLoop) {
                loop.awaitTermination(2, TimeUnit.SECONDS);
            }
            connector.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownNow();
        connector.shutdownNow();
        if (ownsManager) {
            manager.shutdown();
        }
    }

    private void closeOnLoop(Runnable shutdown) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    shutdown.run();
                } finally {
                    done.complete(null);
                }
            });
            done.get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // already shut down
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("event thread did not finish closing within 5 s (a blocked listener?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("closing failed", e.getCause());
        }
    }

    // ---- connection lifecycle (event thread) ------------------------------------------------------------

    private void openConnection() {
        state = State.CONNECTING;
        int gen = ++generation;
        try {
            connector.execute(() -> {
                try {
                    manager.connectToServer(new Connection(gen), endpointConfig, uri);
                } catch (Exception e) {
                    run(() -> connectFailed(gen, e));
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void connectFailed(int gen, Exception e) {
        if (gen != generation || state == State.CLOSED) {
            return;
        }
        log.debug("connect to {} failed: {}", uri, e.toString());
        scheduleReconnect(e.toString());
    }

    private void opened(int gen, Session s) {
        if (gen != generation || state == State.CLOSED) {
            closeSession(s, CloseReason.CloseCodes.NORMAL_CLOSURE, "stale connection");
            return;
        }
        session = s;
    }

    private void closed(int gen, int code, String reason) {
        if (gen != generation || state == State.CLOSED) {
            return;
        }
        lost(code, reason);
    }

    /** The current connection is gone: fail in-flight requests, tell listeners, schedule a reconnect. */
    private void lost(int code, String reason) {
        session = null;
        generation++;
        cancelHeartbeat();
        failAll(new RealtimeClientException(RealtimeClientException.DISCONNECTED,
                "connection lost before the server answered (" + code + " " + reason + ")"), false);
        for (RoomState rs : rooms.values()) {
            rs.inFlight = false;
            rs.confirmed = null;
        }
        boolean willReconnect = maxReconnectAttempts < 0 || attempts < maxReconnectAttempts;
        if (state == State.OPEN) {
            log.info("disconnected from {}: {} {}", uri, code, reason);
            for (ClientListener l : clientListeners) {
                safely(() -> l.onDisconnected(code, reason, willReconnect));
            }
        }
        scheduleReconnect(code + " " + reason);
    }

    private void scheduleReconnect(String lastError) {
        if (maxReconnectAttempts >= 0 && attempts >= maxReconnectAttempts) {
            state = State.CLOSED;
            RealtimeClientException e = new RealtimeClientException(RealtimeClientException.CLOSED,
                    "gave up connecting to " + uri + " after " + attempts + " reconnect attempts: " + lastError);
            log.warn(e.getMessage());
            failAll(e, true);
            firstConnect.completeExceptionally(e);
            for (ClientListener l : clientListeners) {
                safely(() -> l.onError(e));
            }
            return;
        }
        attempts++;
        state = State.WAITING;
        long delay = backoff.delayMillis(attempts);
        log.debug("reconnecting to {} in {} ms (attempt {})", uri, delay, attempts);
        try {
            loop.schedule(() -> {
                if (state == State.WAITING) {
                    openConnection();
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void checkHeartbeat() {
        if (state != State.OPEN) {
            return;
        }
        long silentMillis = (System.nanoTime() - lastFrameNanos) / 1_000_000;
        if (silentMillis > heartbeatMillis + heartbeatGraceMillis) {
            log.warn("no frame from {} for {} ms: treating the connection as dead", uri, silentMillis);
            Session dead = session;
            lost(1006, "heartbeat timeout");
            closeSession(dead, CloseReason.CloseCodes.GOING_AWAY, "heartbeat timeout");
        }
    }

    private void cancelHeartbeat() {
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
            heartbeatTask = null;
        }
    }

    // ---- inbound frames (event thread) ------------------------------------------------------------------

    private void frame(int gen, JsonNode msg) {
        if (gen != generation || state == State.CLOSED) {
            return;
        }
        String type = msg.path("type").asText();
        switch (type) {
            case "connection" -> greeted(msg);
            case "subscribed" -> subscribed(msg);
            case "unsubscribed", "ack" -> {
                Pending p = pending.remove(msg.path("id").asText());
                if (p != null) {
                    p.complete(msg.get("data"));
                }
            }
            case "event" -> event(msg);
            case "error" -> error(msg);
            case "ping" -> sendText("{\"type\":\"pong\"}");
            case "pong" -> { }
            default -> log.debug("ignoring frame of type '{}'", type);
        }
    }

    private void greeted(JsonNode msg) {
        state = State.OPEN;
        attempts = 0;
        heartbeatMillis = msg.path("heartbeatMs").asLong(30_000);
        boolean reconnect = everConnected;
        everConnected = true;
        long period = Math.max(20, Math.min(1000, (heartbeatMillis + heartbeatGraceMillis) / 4));
        cancelHeartbeat();
        heartbeatTask = loop.scheduleWithFixedDelay(this::checkHeartbeat, period, period, TimeUnit.MILLISECONDS);
        log.info("connected to {} as {}{}", uri, msg.path("clientId").asText(), reconnect ? " (reconnect)" : "");
        for (RoomState rs : rooms.values()) {
            sendSubscribe(rs);
        }
        while (!offline.isEmpty() && state == State.OPEN) {
            QueuedEmit q = offline.poll();
            sendEmit(q.event, q.data, q.future);
        }
        firstConnect.complete(null);
        String clientId = msg.path("clientId").asText();
        for (ClientListener l : clientListeners) {
            safely(() -> l.onConnected(clientId, reconnect));
        }
    }

    private void subscribed(JsonNode msg) {
        Pending p = pending.remove(msg.path("id").asText());
        String room = msg.path("room").asText();
        RoomState rs = rooms.get(room);
        if (rs == null || p == null || p.room == null) {
            return; // unsubscribed meanwhile
        }
        rs.inFlight = false;
        String epoch = msg.hasNonNull("epoch") ? msg.get("epoch").asText() : null;
        long top = msg.path("offset").asLong(0);
        Boolean recovered = msg.has("recovered") ? msg.get("recovered").asBoolean() : null;
        if (epoch != null) {
            if (recovered == null) {
                rs.epoch = epoch; // fresh subscribe: live from the top
                rs.offset = top;
            } else if (recovered) {
                rs.epoch = epoch; // replay of (offset, top] follows
            } else {
                rs.epoch = epoch; // a gap: the latest event follows
                rs.offset = Math.max(0, top - 1);
            }
            positions.put(room, new StreamPosition(rs.offset, epoch));
        }
        SubscribeResult result = new SubscribeResult(room, epoch, top, recovered);
        rs.confirmed = result;
        List<CompletableFuture<SubscribeResult>> waiters = new ArrayList<>(rs.waiters);
        rs.waiters.clear();
        waiters.forEach(w -> w.complete(result));
        if (Boolean.FALSE.equals(recovered) && epoch != null) {
            log.info("resume of {} was not gap-free: history no longer reaches back", room);
            for (ClientListener l : clientListeners) {
                safely(() -> l.onGap(room, epoch, top));
            }
        }
    }

    private void event(JsonNode msg) {
        String room = msg.hasNonNull("room") ? msg.get("room").asText() : null;
        String name = msg.path("event").asText();
        long offset = msg.path("offset").asLong(0);
        String epoch = msg.hasNonNull("epoch") ? msg.get("epoch").asText() : null;
        RoomState rs = room == null ? null : rooms.get(room);
        if (rs != null && epoch != null && offset > 0) {
            if (epoch.equals(rs.epoch) && offset <= rs.offset) {
                return; // already seen
            }
            rs.epoch = epoch;
            rs.offset = offset;
            positions.put(room, new StreamPosition(offset, epoch));
        }
        JsonNode data = msg.has("data") ? msg.get("data") : mapper.nullNode();
        RealtimeEvent e = new RealtimeEvent(room, name, offset, epoch, data);
        dispatch(eventListeners.get(name), e);
        dispatch(eventListeners.get("*"), e);
    }

    private void dispatch(List<EventListener> listeners, RealtimeEvent e) {
        if (listeners != null) {
            for (EventListener l : listeners) {
                safely(() -> l.onEvent(e));
            }
        }
    }

    private void error(JsonNode msg) {
        RealtimeClientException e = new RealtimeClientException(msg.path("code").asText("internal"),
                msg.path("message").asText(""));
        Pending p = msg.hasNonNull("id") ? pending.remove(msg.get("id").asText()) : null;
        if (p != null) {
            if (p.room != null) {
                RoomState rs = rooms.remove(p.room);
                positions.remove(p.room);
                if (rs != null) {
                    rs.waiters.forEach(w -> w.completeExceptionally(e));
                }
            }
            p.future.completeExceptionally(e);
            return;
        }
        log.warn("server error: {} {}", e.wireCode(), e.getMessage());
        for (ClientListener l : clientListeners) {
            safely(() -> l.onError(e));
        }
    }

    // ---- outbound (event thread) ------------------------------------------------------------------------

    private void sendSubscribe(RoomState rs) {
        String id = nextId();
        ObjectNode msg = mapper.createObjectNode().put("type", "subscribe").put("id", id).put("room", rs.room);
        if (rs.offset >= 0) {
            msg.put("since", rs.offset);
            if (rs.epoch != null && !"none".equals(rs.epoch)) {
                msg.put("epoch", rs.epoch); // a stream never written has no real epoch yet: replay from its start
            }
        }
        rs.inFlight = true;
        pending.put(id, new Pending(new CompletableFuture<>(), rs.room));
        sendText(msg.toString());
    }

    private void sendEmit(String event, JsonNode data, CompletableFuture<JsonNode> f) {
        String id = nextId();
        ObjectNode msg = mapper.createObjectNode().put("type", "emit").put("id", id).put("event", event);
        msg.set("data", data);
        pending.put(id, new Pending(f, null));
        try {
            loop.schedule(() -> {
                Pending p = pending.get(id);
                if (p != null && p.future == f) {
                    pending.remove(id);
                    f.completeExceptionally(new RealtimeClientException(RealtimeClientException.TIMEOUT,
                            "no acknowledgement for '" + event + "' within " + ackTimeoutMillis + " ms"));
                }
            }, ackTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: failAll completes the future
        }
        sendText(msg.toString());
    }

    private void sendText(String text) {
        Session s = session;
        if (s == null) {
            return;
        }
        try {
            s.getAsyncRemote().sendText(text, result -> {
                if (!result.isOK()) {
                    log.debug("send failed: {}", String.valueOf(result.getException()));
                }
            });
        } catch (RuntimeException e) {
            log.debug("send failed: {}", e.toString());
        }
    }

    private void closeSession(Session s, CloseReason.CloseCode code, String reason) {
        if (s == null) {
            return;
        }
        Runnable close = () -> {
            try {
                if (s.isOpen()) {
                    s.close(new CloseReason(code, reason));
                }
            } catch (Exception e) {
                log.debug("close failed: {}", e.toString());
            }
        };
        try {
            connector.execute(close);
        } catch (RejectedExecutionException e) {
            close.run();
        }
    }

    /** Fails pending requests; with {@code everything}, also queued emits and subscribe waiters. */
    private void failAll(RealtimeClientException e, boolean everything) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            it.remove();
            if (p.room == null) {
                p.future.completeExceptionally(e);
            }
        }
        if (everything) {
            while (!offline.isEmpty()) {
                offline.poll().future.completeExceptionally(e);
            }
            for (RoomState rs : rooms.values()) {
                rs.waiters.forEach(w -> w.completeExceptionally(e));
                rs.waiters.clear();
            }
        }
    }

    private String nextId() {
        return Long.toString(++nextId);
    }

    /** Runs a task on the event thread; if the client is shut down, fails {@code f}. */
    private void run(Runnable task, CompletableFuture<?> f) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("client task failed", e);
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(closedException());
        }
    }

    private void run(Runnable task) {
        run(task, new CompletableFuture<>());
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("listener failed", e);
        }
    }

    private static RealtimeClientException closedException() {
        return new RealtimeClientException(RealtimeClientException.CLOSED, "client is closed");
    }

    private static void requireRoom(String room) {
        if (room == null || room.isBlank()) {
            throw new IllegalArgumentException("room must not be blank");
        }
    }

    private static ClientManager ownedManager(Duration connectTimeout) {
        ClientManager m = ClientManager.createClient();
        m.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, (int) connectTimeout.toMillis());
        // one connection at a time: keep Grizzly's per-connection pools small
        m.getProperties().put(GrizzlyClientProperties.SELECTOR_THREAD_POOL_CONFIG,
                ThreadPoolConfig.defaultConfig().setPoolName("realtime-client-selector")
                        .setCorePoolSize(1).setMaxPoolSize(1).setDaemon(true));
        m.getProperties().put(GrizzlyClientProperties.WORKER_THREAD_POOL_CONFIG,
                ThreadPoolConfig.defaultConfig().setPoolName("realtime-client-worker")
                        .setCorePoolSize(1).setMaxPoolSize(2).setDaemon(true));
        return m;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The Tyrus endpoint of one connection attempt; forwards everything to the event thread. */
    private final class Connection extends Endpoint {
        private final int gen;

        Connection(int gen) {
            this.gen = gen;
        }

        @Override
        public void onOpen(Session s, EndpointConfig config) {
            lastFrameNanos = System.nanoTime();
            s.setMaxTextMessageBufferSize(maxMessageBytes);
            run(() -> opened(gen, s));
            s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                lastFrameNanos = System.nanoTime();
                JsonNode msg;
                try {
                    msg = mapper.readTree(text);
                } catch (Exception e) {
                    log.warn("ignoring a frame that is not JSON: {}", e.toString());
                    return;
                }
                run(() -> frame(gen, msg));
            });
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            run(() -> closed(gen, reason.getCloseCode().getCode(), reason.getReasonPhrase()));
        }

        @Override
        public void onError(Session s, Throwable error) {
            log.debug("connection error: {}", error.toString());
        }
    }

    /** Client-side state of one subscribed room. Confined to the event thread. */
    private static final class RoomState {
        final String room;
        /** Last offset seen (history rooms), or -1 when unknown. */
        long offset = -1;
        String epoch;
        boolean inFlight;
        SubscribeResult confirmed;
        final List<CompletableFuture<SubscribeResult>> waiters = new ArrayList<>();

        RoomState(String room) {
            this.room = room;
        }
    }

    /** A request waiting for its answer: an emit or unsubscribe ({@code room == null}), or a subscribe. */
    private record Pending(CompletableFuture<?> future, String room) {
        @SuppressWarnings("unchecked")
        void complete(JsonNode data) {
            ((CompletableFuture<Object>) future).complete(data);
        }
    }

    private record QueuedEmit(String event, JsonNode data, CompletableFuture<JsonNode> future) {
    }

    /**
     * Configures a {@link RealtimeClient}. Setters validate and fail fast; not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final URI uri;
        private Duration initialDelay = Duration.ofMillis(250);
        private Duration maxDelay = Duration.ofSeconds(30);
        private int maxReconnectAttempts = -1;
        private Duration heartbeatGrace = Duration.ofSeconds(10);
        private int offlineQueueSize = 100;
        private Duration ackTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxMessageBytes = 16 * 1024 * 1024;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private ObjectMapper mapper;
        private ClientManager manager;

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
                throw new IllegalArgumentException("uri must be ws:// or wss://: " + uri);
            }
            this.uri = uri;
        }

        /** Reconnect backoff: full jitter up to {@code initial * 2^n}, capped at {@code max} (250 ms, 30 s). */
        public Builder reconnectDelay(Duration initial, Duration max) {
            positive(initial, "initial");
            positive(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max must be >= initial: " + max + " < " + initial);
            }
            this.initialDelay = initial;
            this.maxDelay = max;
            return this;
        }

        /** Reconnect attempts in a row before giving up (default unlimited); 0 never reconnects. */
        public Builder maxReconnectAttempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts must be >= 0: " + attempts);
            }
            this.maxReconnectAttempts = attempts;
            return this;
        }

        /** How long past the server's heartbeat interval silence is tolerated before reconnecting (10 s). */
        public Builder heartbeatGrace(Duration grace) {
            this.heartbeatGrace = positive(grace, "grace");
            return this;
        }

        /** Emits kept while disconnected (default 100); more fail with {@code offline_queue_full}. */
        public Builder offlineQueueSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0: " + size);
            }
            this.offlineQueueSize = size;
            return this;
        }

        /** How long an emit waits for its ack once sent (default 30 s). */
        public Builder ackTimeout(Duration timeout) {
            this.ackTimeout = positive(timeout, "timeout");
            return this;
        }

        /** Handshake timeout of the client-owned Tyrus manager (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "timeout");
            return this;
        }

        /** Largest inbound message (default 16 MB). */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMessageBytes must be >= 1024: " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /** A header sent with every upgrade request, e.g. {@code Authorization}. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The mapper for payloads (default: ignores unknown properties). */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * A Tyrus client manager to connect with (e.g. one shared by many clients); the caller keeps ownership
         * and shuts it down. By default the client creates its own and shuts it down on close.
         */
        public Builder clientManager(ClientManager manager) {
            if (this.manager != null) {
                throw new IllegalStateException("clientManager was already set to " + this.manager);
            }
            this.manager = Objects.requireNonNull(manager, "manager");
            return this;
        }

        public RealtimeClient build() {
            return new RealtimeClient(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
