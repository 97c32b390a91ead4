package dev.realtime.jakarta.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.history.StreamPosition;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.glassfish.tyrus.client.ClientManager;
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

    private final ObjectMapper mapper;
    private final ClientManager manager;
    private final boolean ownsManager;
    private final ClientLoop loop;
    private final ClientWire wire;
    private final ClientListeners listeners = new ClientListeners();
    private final ClientRequests requests;
    private final ClientSubscriptions subscriptions;
    private final ClientConnection connection;

    private RealtimeClient(Builder b) {
        this.mapper = b.mapper != null ? b.mapper
                : new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.ownsManager = b.manager == null;
        this.manager = b.manager != null ? b.manager : ClientConnection.ownedManager(b.connectTimeout);
        this.loop = new ClientLoop();
        this.wire = new ClientWire(loop);
        this.requests = new ClientRequests(mapper, loop, wire, b.offlineQueueSize, b.ackTimeout.toMillis());
        this.subscriptions = new ClientSubscriptions(requests, wire, listeners);
        Backoff backoff = new Backoff(b.initialDelay, b.maxDelay, () -> ThreadLocalRandom.current().nextDouble());
        ClientConnection.Settings settings = new ClientConnection.Settings(b.uri, Map.copyOf(b.headers), backoff,
                b.maxReconnectAttempts, b.heartbeatGrace.toMillis(), b.maxMessageBytes);
        this.connection = new ClientConnection(settings, manager, mapper, loop, wire, requests, subscriptions,
                listeners);
    }

    /** A builder for a client of the native endpoint at {@code uri} ({@code ws://} or {@code wss://}). */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * Starts connecting (once; later calls return the same future).
     *
     * @return completes when the server first greets the client; fails if the client is closed or gives up first
     */
    public CompletableFuture<Void> connect() {
        loop.run(connection::connect);
        return connection.firstConnect();
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
        loop.run(() -> {
            if (connection.state() == State.CLOSED) {
                f.completeExceptionally(ClientLoop.closedException());
            } else {
                subscriptions.subscribe(room, since, epoch, f, connection.state() == State.OPEN);
            }
        }, f);
        return f;
    }

    /** Leaves a room; completes when the server confirms (at once when disconnected). */
    public CompletableFuture<Void> unsubscribe(String room) {
        requireRoom(room);
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.run(() -> {
            subscriptions.remove(room,
                    new RealtimeClientException(RealtimeClientException.CLOSED, "unsubscribed from " + room));
            if (connection.state() != State.OPEN) {
                f.complete(null);
                return;
            }
            wire.send(requests.open("unsubscribe", f, null).put("room", room).toString());
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
        loop.run(() -> requests.emit(event, payload, f, connection.state()), f);
        return f;
    }

    /** Listens to events named {@code event} ({@code "*"} for all) with their room, offset and raw data. */
    public RealtimeClient on(String event, EventListener listener) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(listener, "listener");
        listeners.on(event, listener);
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
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The last offset and epoch seen in a subscribed history room. */
    public Optional<StreamPosition> position(String room) {
        return subscriptions.position(room);
    }

    /** The current state. */
    public State state() {
        return connection.state();
    }

    /** Whether the client is connected and greeted. */
    public boolean isConnected() {
        return connection.state() == State.OPEN;
    }

    /**
     * Closes the connection (1000), fails pending requests and queued emits with {@code closed}, and stops the
     * client's threads. Idempotent; blocks for at most a few seconds.
     */
    @Override
    public void close() {
        loop.runAndWait(connection::close);
        loop.shutdown();
        if (ownsManager) {
            manager.shutdown();
        }
    }

    private static void requireRoom(String room) {
        if (room == null || room.isBlank()) {
            throw new IllegalArgumentException("room must not be blank");
        }
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
