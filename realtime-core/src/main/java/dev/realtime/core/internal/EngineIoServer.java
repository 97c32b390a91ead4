package dev.realtime.core.internal;

import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.EngineIoPolling;
import dev.realtime.core.Handshake;
import dev.realtime.core.PollingExchange;
import dev.realtime.core.PollingResponse;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.Transport;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine.IO v4 over HTTP long-polling, as the reference server ({@code engine.io} 6) answers it: sessions by
 * sid, the handshake GET, long-polling GETs and POSTs (delegated to the session's {@link EngineIoTransport}), CORS
 * preflight and headers for the hub's allowed origins, Engine.IO's error bodies, and the WebSocket upgrade of a
 * polling session ({@link WebSocketUpgrade}). One per hub with Socket.IO enabled; thread-safe.
 */
final class EngineIoServer implements EngineIoPolling {
    private static final Logger log = LoggerFactory.getLogger(EngineIoServer.class);

    /** Engine.IO's error codes and messages (engine.io {@code Server.errorMessages}). */
    record EngineIoError(int code, String message) {
        String json() {
            return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
        }
    }

    static final EngineIoError UNKNOWN_TRANSPORT = new EngineIoError(0, "Transport unknown");
    static final EngineIoError UNKNOWN_SID = new EngineIoError(1, "Session ID unknown");
    static final EngineIoError BAD_HANDSHAKE_METHOD = new EngineIoError(2, "Bad handshake method");
    static final EngineIoError BAD_REQUEST = new EngineIoError(3, "Bad request");
    static final EngineIoError FORBIDDEN = new EngineIoError(4, "Forbidden");
    static final EngineIoError UNSUPPORTED_VERSION = new EngineIoError(5, "Unsupported protocol version");

    private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

    private final HubEngine engine;
    private final SocketIoOptions options;
    private final ConcurrentHashMap<String, EngineIoTransport> sessions = new ConcurrentHashMap<>();

    EngineIoServer(HubEngine engine, SocketIoOptions options) {
        this.engine = engine;
        this.options = options;
    }

    @Override
    public void handle(PollingExchange exchange) {
        try {
            route(exchange);
        } catch (RuntimeException e) {
            log.error("{} {}: polling request failed", exchange.method(), exchange.request().path(), e);
            respond(exchange, PollingResponse.text(500, "application/json", Map.of(),
                    "{\"code\":3,\"message\":\"internal error\"}"));
        }
    }

    @Override
    public int pollingSessions() {
        int n = 0;
        for (EngineIoTransport t : sessions.values()) {
            if (t.polling()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int waitingRequests() {
        int n = 0;
        for (EngineIoTransport t : sessions.values()) {
            if (t.waiting()) {
                n++;
            }
        }
        return n;
    }

    private void route(PollingExchange exchange) {
        Optional<String> origin = exchange.header("Origin");
        if (origin.isPresent() && !engine.admission.originAllowed(origin)) {
            engine.counters.handshakesRejected.increment();
            respond(exchange, PollingResponse.text(403, "application/json", Map.of(), FORBIDDEN.json()));
            return;
        }
        String method = exchange.method();
        if ("OPTIONS".equals(method)) {
            respond(exchange, preflight(exchange));
            return;
        }
        // the reference server's order (engine.io verify(), then handshake())
        String transport = exchange.queryParam("transport").orElse("");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            error(exchange, UNKNOWN_TRANSPORT);
            return;
        }
        Optional<String> sid = exchange.queryParam("sid");
        if (sid.isEmpty()) {
            if (!"GET".equals(method)) {
                error(exchange, BAD_HANDSHAKE_METHOD);
            } else if ("websocket".equals(transport)) {
                error(exchange, BAD_REQUEST); // a WebSocket handshake without the upgrade
            } else if (!"4".equals(exchange.queryParam("EIO").orElse(""))) {
                error(exchange, UNSUPPORTED_VERSION);
            } else {
                open(exchange);
            }
            return;
        }
        EngineIoTransport session = sessions.get(sid.get());
        if (session == null) {
            error(exchange, UNKNOWN_SID);
        } else if (!"polling".equals(transport)) {
            error(exchange, BAD_REQUEST); // transport mismatch
        } else if ("GET".equals(method)) {
            session.poll(exchange);
        } else if ("POST".equals(method)) {
            session.post(exchange);
        } else {
            error(exchange, BAD_REQUEST);
        }
    }

    /** The handshake GET: a new session whose open packet answers this very request. */
    private void open(PollingExchange exchange) {
        Handshake request = exchange.request();
        String[] refusal = engine.admit(request);
        if (refusal != null) {
            respond(exchange, PollingResponse.text(Integer.parseInt(refusal[0]), "application/json",
                    cors(exchange), "{\"error\":{\"code\":\"" + refusal[1] + "\",\"message\":"
                            + engine.json(refusal[2]) + "}}"));
            return;
        }
        EngineIoTransport transport = new EngineIoTransport(SocketIoSession.randomId(), request, this);
        sessions.put(transport.sid, transport);
        RealConnection connection;
        try {
            connection = engine.connect(transport, Protocol.SOCKET_IO);
        } catch (RealtimeException e) {
            sessions.remove(transport.sid, transport);
            respond(exchange, PollingResponse.text(503, "application/json", cors(exchange),
                    "{\"code\":3,\"message\":" + engine.json(e.getMessage()) + "}"));
            return;
        }
        transport.connection = connection;
        transport.poll(exchange);
    }

    /**
     * A WebSocket opened with {@code sid}: the upgrade of that polling session, or a refusal (the close reason
     * says why) when the sid is unknown or no longer polling.
     */
    ConnectionHandle upgrade(Transport ws, String sid) {
        EngineIoTransport session = sessions.get(sid);
        if (session == null || !session.polling()) {
            ws.close(1008, session == null ? UNKNOWN_SID.message() : BAD_REQUEST.message());
            return new Refused(sid);
        }
        return new WebSocketUpgrade(engine, session, ws);
    }

    /** What an upgrade request with {@code sid} gets before the WebSocket is accepted: null to accept. */
    EngineIoError checkUpgrade(String sid) {
        EngineIoTransport session = sessions.get(sid);
        if (session == null) {
            return UNKNOWN_SID;
        }
        return session.polling() ? null : BAD_REQUEST;
    }

    // ---- responses ------------------------------------------------------------------------------------

    /** CORS headers for an allowed origin (none without an {@code Origin} or an allow-list). */
    Map<String, String> cors(PollingExchange request) {
        Optional<String> origin = request.header("Origin");
        if (origin.isEmpty() || engine.allowedOrigins == null) {
            return Map.of();
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Access-Control-Allow-Origin", origin.get());
        h.put("Vary", "Origin");
        h.put("Access-Control-Allow-Credentials", "true");
        return h;
    }

    private PollingResponse preflight(PollingExchange request) {
        Map<String, String> h = new LinkedHashMap<>(cors(request));
        if (!h.isEmpty()) {
            h.put("Access-Control-Allow-Methods", "GET,POST");
            String asked = request.header("Access-Control-Request-Headers").orElse("");
            if (!asked.isEmpty()) {
                h.put("Access-Control-Allow-Headers", asked);
                h.put("Vary", "Origin, Access-Control-Request-Headers");
            }
        }
        return new PollingResponse(204, null, h, null);
    }

    PollingResponse okPoll(PollingExchange request, byte[] payload) {
        return new PollingResponse(200, "text/plain; charset=UTF-8", noStore(request), payload);
    }

    PollingResponse okPost(PollingExchange request) {
        return PollingResponse.text(200, "text/html", noStore(request), "ok");
    }

    /** {@code Cache-Control: no-store} after the CORS headers; the common case (no CORS) is one shared map. */
    private Map<String, String> noStore(PollingExchange request) {
        Map<String, String> cors = cors(request);
        if (cors.isEmpty()) {
            return NO_STORE;
        }
        Map<String, String> h = new LinkedHashMap<>(cors);
        h.put("Cache-Control", "no-store");
        return h;
    }

    void error(PollingExchange exchange, EngineIoError error) {
        respond(exchange, PollingResponse.text(400, "application/json", cors(exchange), error.json()));
    }

    /** Responds; an adapter failure is logged, never thrown at the hub's threads. */
    void respond(PollingExchange exchange, PollingResponse response) {
        try {
            exchange.respond(response);
        } catch (RuntimeException e) {
            log.debug("polling response failed: {}", e.toString());
        }
    }

    // ---- sessions -------------------------------------------------------------------------------------

    int maxPayload() {
        return options.maxPayload();
    }

    /**
     * Reads a POST of {@code session} (at most {@link #maxPayload} bytes) and feeds its packets to the session's
     * connection. A body that cannot be read (400) or is too large (413), or a payload that does not parse, fails
     * the session. The session has marked itself as posting; the mark is cleared before the answer (the client
     * sends its next POST as soon as it has it) and in any case on the way out.
     */
    void receive(EngineIoTransport session, PollingExchange post) {
        try {
            byte[] body;
            try {
                body = post.readBody(maxPayload());
            } catch (java.io.IOException e) {
                error(post, BAD_REQUEST);
                session.fail("body unreadable: " + e);
                return;
            }
            if (body == null) {
                respond(post, new PollingResponse(413, null, cors(post), null));
                session.fail("payload too large");
                return;
            }
            if (!EngineIoPayload.deliver(new String(body, java.nio.charset.StandardCharsets.UTF_8),
                    session.connection)) {
                session.fail("parse error");
            }
            session.donePosting(); // before the answer: the client sends its next POST as soon as it has it
            respond(post, okPost(post));
        } finally {
            session.donePosting();
        }
    }

    /** Bytes buffered for one polling session before sends wait for a GET. */
    int bufferBytes() {
        return options.maxPayload();
    }

    void forget(EngineIoTransport session) {
        sessions.remove(session.sid, session);
    }

    /** A closed session whose client has not polled yet: it may fetch the close packet until the grace ends. */
    void forgetLater(EngineIoTransport session) {
        long grace = options.pingInterval().toMillis() + options.pingTimeout().toMillis();
        if (engine.schedule(session::expire, grace) == null) {
            session.expire();
        }
    }

    /** A handle for a refused upgrade: the WebSocket is already being closed; its frames are ignored. */
    private record Refused(String id) implements ConnectionHandle {
        @Override
        public void onText(String text) {
        }

        @Override
        public void onBinary(ByteBuffer data) {
        }

        @Override
        public void onClose(int code, String reason) {
        }

        @Override
        public void onError(Throwable error) {
        }
    }


}
