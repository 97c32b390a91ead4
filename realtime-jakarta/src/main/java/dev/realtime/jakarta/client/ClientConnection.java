package dev.realtime.jakarta.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection state machine of a {@link RealtimeClient}: connects, waits for the server's greeting, watches the
 * heartbeat, reconnects with backoff after a drop (or gives up), and routes inbound frames to the requests, the
 * subscriptions and the listeners. Confined to the client's event thread, except {@link #state()}; Tyrus
 * callbacks are forwarded to that thread, tagged with a generation so that those of older connections are ignored.
 */
final class ClientConnection {
    private static final Logger log = LoggerFactory.getLogger(RealtimeClient.class);

    /** What the builder configured about connecting. */
    record Settings(URI uri, Map<String, String> headers, Backoff backoff, int maxReconnectAttempts,
            long heartbeatGraceMillis, int maxMessageBytes) {
    }

    private final Settings settings;
    private final URI uri;
    private final ClientManager manager;
    private final ClientEndpointConfig endpointConfig;
    private final ObjectMapper mapper;
    private final ClientLoop loop;
    private final ClientWire wire;
    private final ClientRequests requests;
    private final ClientSubscriptions subscriptions;
    private final ClientListeners listeners;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    /** Nanos of the last inbound frame; written by the I/O thread. */
    private volatile long lastFrameNanos;
    private volatile RealtimeClient.State state = RealtimeClient.State.IDLE;

    // ---- confined to the event thread ------------------------------------------------------------------
    /** Incremented for every connection attempt; callbacks of older connections are ignored. */
    private int generation;
    private int attempts;
    private boolean everConnected;
    private long heartbeatMillis = 30_000;
    private ScheduledFuture<?> heartbeatTask;

    ClientConnection(Settings settings, ClientManager manager, ObjectMapper mapper, ClientLoop loop,
            ClientWire wire, ClientRequests requests, ClientSubscriptions subscriptions, ClientListeners listeners) {
        this.settings = settings;
        this.uri = settings.uri();
        this.manager = manager;
        this.mapper = mapper;
        this.loop = loop;
        this.wire = wire;
        this.requests = requests;
        this.subscriptions = subscriptions;
        this.listeners = listeners;
        Map<String, String> headers = settings.headers();
        this.endpointConfig = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> h) {
                        headers.forEach((k, v) -> h.put(k, List.of(v)));
                    }
                }).build();
    }

    /** The current state; readable from any thread. */
    RealtimeClient.State state() {
        return state;
    }

    /** Completes when the server first greets the client; fails if it is closed or gives up first. */
    CompletableFuture<Void> firstConnect() {
        return firstConnect;
    }

    /** Starts connecting, unless {@link #connect} was called before. */
    void connect() {
        if (state == RealtimeClient.State.IDLE) {
            openConnection();
        }
    }

    /** Closes the connection (1000) and fails everything still waiting with {@code closed}. Idempotent. */
    void close() {
        if (state == RealtimeClient.State.CLOSED && wire.session() == null) {
            return;
        }
        state = RealtimeClient.State.CLOSED;
        generation++;
        cancelHeartbeat();
        wire.close(wire.detach(), CloseReason.CloseCodes.NORMAL_CLOSURE, "client closed");
        failAll(ClientLoop.closedException());
        firstConnect.completeExceptionally(ClientLoop.closedException());
    }

    // ---- connection lifecycle -----------------------------------------------------------------------------

    private void openConnection() {
        state = RealtimeClient.State.CONNECTING;
        int gen = ++generation;
        loop.connector(() -> {
            try {
                manager.connectToServer(new Connection(gen), endpointConfig, uri);
            } catch (Exception e) {
                loop.run(() -> connectFailed(gen, e));
            }
        }, false);
    }

    private void connectFailed(int gen, Exception e) {
        if (gen != generation || state == RealtimeClient.State.CLOSED) {
            return;
        }
        log.debug("connect to {} failed: {}", uri, e.toString());
        scheduleReconnect(e.toString());
    }

    private void opened(int gen, Session s) {
        if (gen != generation || state == RealtimeClient.State.CLOSED) {
            wire.close(s, CloseReason.CloseCodes.NORMAL_CLOSURE, "stale connection");
            return;
        }
        wire.attach(s);
    }

    private void closed(int gen, int code, String reason) {
        if (gen != generation || state == RealtimeClient.State.CLOSED) {
            return;
        }
        lost(code, reason);
    }

    /** The current connection is gone: fail in-flight requests, tell listeners, schedule a reconnect. */
    private void lost(int code, String reason) {
        wire.detach();
        generation++;
        cancelHeartbeat();
        requests.failAll(new RealtimeClientException(RealtimeClientException.DISCONNECTED,
                "connection lost before the server answered (" + code + " " + reason + ")"), false);
        subscriptions.connectionLost();
        int max = settings.maxReconnectAttempts();
        boolean willReconnect = max < 0 || attempts < max;
        if (state == RealtimeClient.State.OPEN) {
            log.info("disconnected from {}: {} {}", uri, code, reason);
            listeners.disconnected(code, reason, willReconnect);
        }
        scheduleReconnect(code + " " + reason);
    }

    private void scheduleReconnect(String lastError) {
        int max = settings.maxReconnectAttempts();
        if (max >= 0 && attempts >= max) {
            state = RealtimeClient.State.CLOSED;
            RealtimeClientException e = new RealtimeClientException(RealtimeClientException.CLOSED,
                    "gave up connecting to " + uri + " after " + attempts + " reconnect attempts: " + lastError);
            log.warn(e.getMessage());
            failAll(e);
            firstConnect.completeExceptionally(e);
            listeners.error(e);
            return;
        }
        attempts++;
        state = RealtimeClient.State.WAITING;
        long delay = settings.backoff().delayMillis(attempts);
        log.debug("reconnecting to {} in {} ms (attempt {})", uri, delay, attempts);
        loop.schedule(() -> {
            if (state == RealtimeClient.State.WAITING) {
                openConnection();
            }
        }, delay);
    }

    private void checkHeartbeat() {
        if (state != RealtimeClient.State.OPEN) {
            return;
        }
        long silentMillis = (System.nanoTime() - lastFrameNanos) / 1_000_000;
        if (silentMillis > heartbeatMillis + settings.heartbeatGraceMillis()) {
            log.warn("no frame from {} for {} ms: treating the connection as dead", uri, silentMillis);
            Session dead = wire.session();
            lost(1006, "heartbeat timeout");
            wire.close(dead, CloseReason.CloseCodes.GOING_AWAY, "heartbeat timeout");
        }
    }

    private void cancelHeartbeat() {
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
            heartbeatTask = null;
        }
    }

    /** Fails pending requests, queued emits and subscribe waiters. */
    private void failAll(RealtimeClientException e) {
        requests.failAll(e, true);
        subscriptions.failWaiters(e);
    }

    // ---- inbound frames -------------------------------------------------------------------------------------

    private void frame(int gen, JsonNode msg) {
        if (gen != generation || state == RealtimeClient.State.CLOSED) {
            return;
        }
        String type = msg.path("type").asText();
        switch (type) {
            case "connection" -> greeted(msg);
            case "subscribed" -> subscriptions.subscribed(msg, requests.take(msg.path("id").asText()));
            case "unsubscribed", "ack" -> requests.answered(msg);
            case "event" -> event(msg);
            case "error" -> error(msg);
            case "ping" -> wire.send("{\"type\":\"pong\"}");
            case "pong" -> { }
            default -> log.debug("ignoring frame of type '{}'", type);
        }
    }

    private void greeted(JsonNode msg) {
        state = RealtimeClient.State.OPEN;
        attempts = 0;
        heartbeatMillis = msg.path("heartbeatMs").asLong(30_000);
        boolean reconnect = everConnected;
        everConnected = true;
        long period = Math.max(20, Math.min(1000, (heartbeatMillis + settings.heartbeatGraceMillis()) / 4));
        cancelHeartbeat();
        heartbeatTask = loop.every(this::checkHeartbeat, period);
        log.info("connected to {} as {}{}", uri, msg.path("clientId").asText(), reconnect ? " (reconnect)" : "");
        subscriptions.resubscribeAll();
        requests.flushOffline();
        firstConnect.complete(null);
        listeners.connected(msg.path("clientId").asText(), reconnect);
    }

    private void event(JsonNode msg) {
        String room = msg.hasNonNull("room") ? msg.get("room").asText() : null;
        String epoch = msg.hasNonNull("epoch") ? msg.get("epoch").asText() : null;
        JsonNode data = msg.has("data") ? msg.get("data") : mapper.nullNode();
        RealtimeEvent e = new RealtimeEvent(room, msg.path("event").asText(), msg.path("offset").asLong(0), epoch,
                data);
        if (subscriptions.advance(e)) {
            listeners.dispatch(e);
        }
    }

    private void error(JsonNode msg) {
        RealtimeClientException e = new RealtimeClientException(msg.path("code").asText("internal"),
                msg.path("message").asText(""));
        ClientRequests.Pending p = msg.hasNonNull("id") ? requests.take(msg.get("id").asText()) : null;
        if (p != null) {
            if (p.room() != null) {
                subscriptions.remove(p.room(), e);
            }
            p.future().completeExceptionally(e);
            return;
        }
        log.warn("server error: {} {}", e.wireCode(), e.getMessage());
        listeners.error(e);
    }

    /** A Tyrus client manager of its own for one client: small Grizzly pools, the given handshake timeout. */
    static ClientManager ownedManager(Duration connectTimeout) {
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

    /** The Tyrus endpoint of one connection attempt; forwards everything to the event thread. */
    private final class Connection extends Endpoint {
        private final int gen;

        Connection(int gen) {
            this.gen = gen;
        }

        @Override
        public void onOpen(Session s, EndpointConfig config) {
            lastFrameNanos = System.nanoTime();
            s.setMaxTextMessageBufferSize(settings.maxMessageBytes());
            loop.run(() -> opened(gen, s));
            s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                lastFrameNanos = System.nanoTime();
                JsonNode msg;
                try {
                    msg = mapper.readTree(text);
                } catch (Exception e) {
                    log.warn("ignoring a frame that is not JSON: {}", e.toString());
                    return;
                }
                loop.run(() -> frame(gen, msg));
            });
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            loop.run(() -> closed(gen, reason.getCloseCode().getCode(), reason.getReasonPhrase()));
        }

        @Override
        public void onError(Session s, Throwable error) {
            log.debug("connection error: {}", error.toString());
        }
    }
}
