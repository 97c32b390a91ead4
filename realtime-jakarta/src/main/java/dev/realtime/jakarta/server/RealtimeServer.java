package dev.realtime.jakarta.server;

import dev.realtime.core.DaemonThreads;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.RealtimeEndpoint;
import dev.realtime.jakarta.SessionRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone server: one Grizzly HTTP server on one port carrying the native WebSocket endpoint (default
 * {@code /ws}) and the HTTP API for non-Java backends:
 * <ul>
 *   <li>{@code GET /health} - status and hub counters</li>
 *   <li>{@code POST /api/jobs/{jobId}/events} (header {@code X-Api-Key}) - publish a job event</li>
 *   <li>{@code GET /api/jobs/{jobId}/history?after=N&limit=M} - the polling fallback</li>
 *   <li>{@code GET /sse?rooms=..} and {@code POST /sse/{stream}} - the native protocol over Server-Sent Events,
 *       for browsers whose WebSocket cannot connect</li>
 *   <li>{@code GET /realtime.js} (and {@code /realtime.d.ts}) - the browser client</li>
 *   <li>{@code POST /api/pushes} (header {@code X-Api-Key}) - a notification, analytics update or document
 *       progress push (see {@link dev.realtime.core.pushes.PushPublisher})</li>
 * </ul>
 * plus Socket.IO v4 at {@code /socket.io/} (when the hub has Socket.IO enabled, the default) and any
 * {@link HttpRoute}s added to the builder. Upgrade requests pass the hub's admission checks first (origin 403,
 * rates 429, Engine.IO version and transport 400).
 *
 * <pre>{@code
 * try (RealtimeServer server = RealtimeServer.builder().port(8080).apiKey(key).build()) {
 *     int port = server.start();
 *     server.hub().jobs().progress("42", 40, "Analyzing");
 * }
 * }</pre>
 *
 * <p><b>Ownership.</b> A hub given to {@link Builder#hub} belongs to the caller: {@link #close()} closes this
 * server's connections (1001) but not the hub. Without one, the server builds a default hub and closes it too.
 * The Grizzly threads are created by {@link #start()} and stopped by {@link #close()}.
 *
 * <p><b>Thread-safety.</b> {@link #start()} and {@link #close()} may be called from any thread; start once.
 *
 * @since 0.1
 */
public final class RealtimeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealtimeServer.class);

    private final RealtimeHub hub;
    private final boolean ownsHub;
    private final String host;
    private final int requestedPort;
    private final String wsPath;
    private final String socketIoPath;
    private final int maxMessageBytes;
    private final SessionRegistry sessions = new SessionRegistry();
    private final HttpApi api;
    private final GrizzlySse sse;
    /** While set, WebSocket upgrades to the native path are refused with 503 (clients fall back to SSE). */
    private final java.util.concurrent.atomic.AtomicBoolean refuseUpgrades =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final ServerLimits limits;
    private final ConnectionGuard guard;
    /** Runs the guard's deadline sweep; created by start, stopped by close. Guarded by this. */
    private java.util.concurrent.ScheduledExecutorService guardTimer;
    /** Guarded by this. */
    private HttpServer http;
    private TyrusGrizzly.Container container;
    private int boundPort = -1;
    private boolean closed;

    private RealtimeServer(Builder b) {
        this.ownsHub = b.hub == null;
        this.hub = b.hub != null ? b.hub : RealtimeHub.builder().build();
        this.host = b.host;
        this.requestedPort = b.port;
        this.wsPath = b.wsPath;
        this.socketIoPath = b.socketIoPath;
        this.maxMessageBytes = b.maxMessageBytes > 0 ? b.maxMessageBytes : hub.maxFrameBytes();
        this.limits = b.limits;
        int sioMax = hub.socketIoOptions().map(o -> Math.min(maxMessageBytes, o.maxPayload())).orElse(maxMessageBytes);
        this.guard = new ConnectionGuard(limits, System::nanoTime,
                path -> path.startsWith(socketIoPath) ? sioMax : maxMessageBytes);
        java.util.Map<String, java.util.Map<String, HttpApi.RouteEntry>> routes = new LinkedHashMap<>();
        b.routes.forEach((path, byMethod) -> byMethod.forEach((m, r) -> routes.computeIfAbsent(path,
                k -> new LinkedHashMap<>()).put(m, new HttpApi.RouteEntry(r.route(),
                r.maxBodyBytes() > 0 ? r.maxBodyBytes() : b.maxBodyBytes))));
        long publishMax = Math.min(b.maxBodyBytes, hub.maxFrameBytes());
        this.sse = new GrizzlySse(hub, limits.sse(), b.ssePath);
        this.api = new HttpApi(hub, b.apiKey, publishMax, wsPath, socketIoPath, routes, guard, sse,
                ClientScript.fromClasspath());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return the bound port (the actual one when the builder asked for 0)
     * @throws UncheckedIOException  when the port cannot be bound
     * @throws IllegalStateException when already started or closed
     */
    public synchronized int start() {
        if (closed || http != null) {
            throw new IllegalStateException(closed ? "server is closed" : "server already started");
        }
        TyrusGrizzly.Container c = new TyrusGrizzly.Container("");
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("realtime", host, requestedPort);
        listener.getTransport().setIOStrategy(new InlineReads());
        listener.getTransport().setWorkerThreadPoolConfig(org.glassfish.grizzly.threadpool.ThreadPoolConfig
                .defaultConfig().copy().setPoolName("realtime-http").setCorePoolSize(limits.workerThreads())
                .setMaxPoolSize(limits.workerThreads()).setQueueLimit(limits.workerQueue()));
        listener.setMaxHttpHeaderSize(limits.maxHeaderBytes() + 1024); // the guard answers 431 first
        // Grizzly's keep-alive timer would also close upgraded WebSocket connections (it is never cancelled
        // for them), so it is off; the guard times idle HTTP connections, heartbeats time WebSockets
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
        listener.registerAddOn(guard.rawAddOn());
        listener.registerAddOn(guard.httpAddOn());
        listener.registerAddOn(PlainHttpUpgradeFilter.ADD_ON);
        listener.registerAddOn(TyrusGrizzly.addOn(c, ""));
        listener.registerAddOn(HandshakeAdmissionFilter.addOn(hub, wsPath, socketIoPath, refuseUpgrades::get));
        server.addListener(listener);
        server.getServerConfiguration().addHttpHandler(api, "/");
        server.getServerConfiguration().setName("realtime");
        try {
            c.addEndpoint(RealtimeEndpoint.config(hub, wsPath, Protocol.NATIVE, maxMessageBytes, sessions, true));
            if (hub.socketIoOptions().isPresent()) {
                int sioMax = Math.min(maxMessageBytes, hub.socketIoOptions().get().maxPayload()); // as the guard's
                c.addEndpoint(RealtimeEndpoint.config(hub, socketIoPath, Protocol.SOCKET_IO, sioMax, sessions, true));
            }
            c.start("", requestedPort); // registers the endpoints on the engine; binds nothing
            server.start();
        } catch (IOException e) {
            server.shutdownNow();
            c.stop();
            throw new UncheckedIOException("cannot listen on " + host + ":" + requestedPort, e);
        } catch (jakarta.websocket.DeploymentException e) {
            server.shutdownNow();
            c.stop();
            throw new IllegalStateException("cannot deploy the WebSocket endpoint at " + wsPath, e);
        }
        this.http = server;
        this.container = c;
        this.guardTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("realtime-http-guard"));
        guard.start(guardTimer);
        sse.start(guardTimer);
        api.start(guardTimer);
        this.boundPort = listener.getPort();
        if (!api.hasApiKey()) {
            log.warn("no API key configured: anyone who can reach port {} may publish job events", boundPort);
        }
        log.info("realtime server listening on {}:{} (WebSocket {}, Socket.IO {}, HTTP /health, /api/jobs/...)",
                host, boundPort, wsPath, hub.socketIoOptions().isPresent() ? socketIoPath : "off");
        return boundPort;
    }

    /** The bound port, or -1 before {@link #start()}. */
    public synchronized int port() {
        return boundPort;
    }

    /** The hub this server attaches connections to. */
    public RealtimeHub hub() {
        return hub;
    }

    /** Whether this server created its hub (and so closes it). */
    public boolean ownsHub() {
        return ownsHub;
    }

    /** Open WebSocket connections of this server. */
    public int connectionCount() {
        return sessions.size();
    }

    /** Open Server-Sent Events streams of this server. */
    public int sseStreamCount() {
        return sse.size();
    }

    /**
     * Closes every WebSocket connection and SSE stream of this server with {@code code} (clients may reconnect);
     * the server keeps running. Useful to drain a node, and in tests.
     *
     * @return the number of connections asked to close
     */
    public int closeConnections(int code, String reason) {
        return sessions.closeAll(code, reason) + sse.closeAll(code, reason);
    }

    /**
     * While {@code refuse} is true, new WebSocket upgrades to the native path get {@code 503 unavailable} (open
     * connections stay): browser clients fall back to Server-Sent Events and return when it is cleared. For
     * drills, and for tests of that fallback. Thread-safe.
     */
    public void refuseWebSocketUpgrades(boolean refuse) {
        refuseUpgrades.set(refuse);
    }

    /** Closes connections (1001), stops the HTTP server, and closes the hub when the server created it. */
    @Override
    public void close() {
        HttpServer server;
        TyrusGrizzly.Container c;
        java.util.concurrent.ScheduledExecutorService timer;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            server = http;
            c = container;
            timer = guardTimer;
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        sessions.closeAll(1001, "server shutting down");
        sse.closeAll(1001, "server shutting down");
        if (c != null) {
            c.stop();
        }
        if (server != null) {
            server.shutdownNow();
        }
        if (ownsHub) {
            hub.close();
        }
        log.info("realtime server on port {} stopped", boundPort);
    }

    /**
     * Configures a {@link RealtimeServer}. Setters validate and fail fast; not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private RealtimeHub hub;
        private String host = "0.0.0.0";
        private int port = ServerOptions.DEFAULT_PORT;
        private String apiKey;
        private String wsPath = "/ws";
        private String socketIoPath = "/socket.io/";
        private String ssePath = "/sse";
        private int maxBodyBytes = 1_000_000;
        private int maxMessageBytes = -1;
        private final Map<String, Map<String, RouteSpec>> routes = new LinkedHashMap<>();
        private ServerLimits limits = ServerLimits.defaults();

        private Builder() {
        }

        /** The hub to serve; the caller keeps ownership. Without it the server builds (and owns) a default hub. */
        public Builder hub(RealtimeHub hub) {
            if (this.hub != null) {
                throw new IllegalStateException("hub was already set to " + this.hub);
            }
            this.hub = Objects.requireNonNull(hub, "hub");
            return this;
        }

        /** The port (default 8080); 0 binds a free ephemeral port, reported by {@link #start()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The address to bind (default {@code 0.0.0.0}). */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** The key callers must send in {@code X-Api-Key} to publish; {@code null} leaves the API open. */
        public Builder apiKey(String apiKey) {
            if (apiKey != null && apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            this.apiKey = apiKey;
            return this;
        }

        /** Path of the native WebSocket endpoint (default {@code /ws}). */
        public Builder webSocketPath(String path) {
            this.wsPath = path(path);
            return this;
        }

        /** Path of the Socket.IO endpoint (default {@code /socket.io/}, as socket.io-client expects). */
        public Builder socketIoPath(String path) {
            this.socketIoPath = path(path);
            return this;
        }

        /** Path of the Server-Sent Events fallback of the native protocol (default {@code /sse}). */
        public Builder ssePath(String path) {
            this.ssePath = path(path);
            return this;
        }

        /** Timeouts, body rate, header size and worker pool (see {@link ServerLimits} for the defaults). */
        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Largest HTTP request body of the publish API and of routes added without their own limit (default
         * 1 MB; the publish API never accepts more than the hub's frame limit); larger requests get 413.
         */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be >= 1: " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Largest inbound WebSocket message (default: the hub's {@code maxFrameBytes}, 1 MB); larger close 1009. */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxMessageBytes must be >= 1: " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /**
         * Adds an HTTP route on an exact path, e.g. {@code route("POST", "/api/demo-jobs", handler)}, or on every
         * path under a prefix when the path ends with {@code /*} ({@code route("GET", "/api/files/*", handler)};
         * the route reads the rest from {@link HttpRoute.Request#path()}).
         *
         * @throws IllegalArgumentException when the path is taken by the built-in API or the WebSocket paths
         * @throws IllegalStateException    when the method and path already have a route
         */
        public Builder route(String method, String path, HttpRoute route) {
            return route(method, path, -1, route);
        }

        /**
         * As {@link #route(String, String, HttpRoute)} with the largest request body this route accepts (e.g. an
         * upload route with 50 MB while everything else keeps 1 MB); larger bodies get 413 before they are read.
         *
         * @param maxBodyBytes the route's body limit, or -1 for the server's {@link #maxBodyBytes}
         */
        public Builder route(String method, String path, long maxBodyBytes, HttpRoute route) {
            if (maxBodyBytes == 0 || maxBodyBytes < -1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive or -1: " + maxBodyBytes);
            }
            String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            String p = path(path);
            Objects.requireNonNull(route, "route");
            if (p.equals("/health") || p.startsWith("/api/jobs/") || p.equals(PushesApi.PATH) || p.equals(wsPath)
                    || p.equals(ssePath) || p.startsWith(ssePath + "/") || ClientScript.PATHS.contains(p)
                    || p.startsWith(socketIoPath)) {
                throw new IllegalArgumentException("path is reserved by the server: " + p);
            }
            RouteSpec previous = routes.computeIfAbsent(p, k -> new LinkedHashMap<>())
                    .putIfAbsent(m, new RouteSpec(route, maxBodyBytes));
            if (previous != null) {
                throw new IllegalStateException("a route for " + m + " " + p + " was already added");
            }
            return this;
        }

        /** A route as added, with its own body limit or -1. */
        private record RouteSpec(HttpRoute route, long maxBodyBytes) {
        }

        public RealtimeServer build() {
            return new RealtimeServer(this);
        }

        private static String path(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/': " + path);
            }
            return path;
        }
    }
}
