package dev.realtime.jakarta.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.Handshake;
import dev.realtime.core.HandshakeRejection;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Server-Sent Events fallback of the native protocol on the standalone server, for browsers whose WebSocket
 * cannot connect:
 * <ul>
 *   <li>{@code GET /sse[?rooms=user:alice,job:42][&token=..][&since=..]} opens a stream (authenticated like a
 *       WebSocket: {@code Authorization: Bearer} or {@code ?token=}; admitted like one: origin, rates). The
 *       stream carries native frames as {@code data:} messages, each event with an {@code id:} holding every
 *       room's position ({@link SsePositions}); a reconnect's {@code Last-Event-ID} (or {@code ?since=}) resumes
 *       each room from there, gap-free, or says {@code recovered:false}. The first message is
 *       {@code {"type":"sse","stream":KEY}}.</li>
 *   <li>{@code POST /sse/KEY} sends the stream's inbound frames: one native message, or an array of them (at
 *       most {@code maxMessagesPerPost}): {@code pong}, {@code emit} (its {@code ack} arrives on the stream), {@code subscribe}, ...
 *       Answers {@code 202 {"accepted":n}}.</li>
 * </ul>
 * Bad input gets a JSON error with a code: a malformed {@code Last-Event-ID} or room list {@code 400
 * bad_request}, a forged token {@code 401 unauthorized}, too many streams {@code 503 unavailable} (server) or
 * {@code 429 rate_limited} (address), an unknown key {@code 404 not_found}. An origin on the hub's allow-list gets
 * CORS headers on the stream and on its posts (from the stream's own origin); without a list, none.
 *
 * <p><b>Threads.</b> A stream holds no thread: the response is suspended and written without blocking by the
 * hub's writer for its connection ({@link SseStream}); heartbeat comments are written by the server's guard
 * timer. {@link #open} and {@link #post} run on Grizzly worker threads and do no blocking I/O. Thread-safe.
 */
final class GrizzlySse {
    private static final Logger log = LoggerFactory.getLogger(GrizzlySse.class);

    private final RealtimeHub hub;
    private final ObjectMapper mapper;
    private final ServerLimits.Sse limits;
    private final String path;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SseStream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    GrizzlySse(RealtimeHub hub, ServerLimits.Sse limits, String path) {
        this.hub = hub;
        this.mapper = hub.mapper();
        this.limits = limits;
        this.path = path;
    }

    String path() {
        return path;
    }

    /** Writes heartbeat comments every {@code heartbeat} on {@code timer} (owned by the caller). */
    void start(ScheduledExecutorService timer) {
        long every = limits.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            for (SseStream s : streams.values()) {
                try {
                    s.heartbeat();
                } catch (RuntimeException e) {
                    log.debug("SSE heartbeat failed: {}", e.toString());
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    int size() {
        return streams.size();
    }

    /** Ends every stream with {@code code} (the clients reconnect). */
    int closeAll(int code, String reason) {
        List<SseStream> all = new ArrayList<>(streams.values());
        all.forEach(s -> s.close(code, reason));
        return all.size();
    }

    /**
     * Opens a stream, or answers why not.
     *
     * @return the refusal to write, or empty when the response is now a suspended stream
     * @throws HttpError for bad input
     */
    Optional<HttpRoute.Response> open(Request request, Response response) {
        Map<String, List<String>> query = HandshakeAdmissionFilter.query(request.getQueryString());
        Set<String> rooms = rooms(first(query, "rooms"));
        String lastEventId = request.getHeader("Last-Event-ID");
        Map<String, SsePositions.Position> since;
        try {
            since = SsePositions.parse(lastEventId != null ? lastEventId : first(query, "since"), limits.maxRooms());
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "malformed "
                    + (lastEventId != null ? "Last-Event-ID" : "'since'") + ": " + e.getMessage());
        }
        Handshake handshake = handshake(request, query);
        Optional<HandshakeRejection> refused = hub.checkHandshake(Protocol.NATIVE, handshake);
        if (refused.isPresent()) {
            HandshakeRejection r = refused.get();
            return Optional.of(new HttpRoute.Response(r.status(), r.contentType(),
                    r.body().getBytes(StandardCharsets.UTF_8)));
        }
        if (hub.requiresAuthentication()) {
            hub.authenticate(token(request, query).orElse(null)); // 401 unauthorized when missing or forged
        }
        String address = hub.clientAddress(handshake);
        reserve(address);
        String key = newKey();
        SsePositions positions = new SsePositions();
        positions.putAll(since);
        SseStream stream = new SseStream(key, handshake, response, mapper, positions, () -> release(key, address));
        streams.put(key, stream);
        try {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Accel-Buffering", "no");
            cors(request.getHeader("Origin"), response);
            response.suspend(-1, TimeUnit.MILLISECONDS, new EmptyCompletionHandler<>() {
                @Override
                public void cancelled() {
                    stream.gone();
                }

                @Override
                public void failed(Throwable t) {
                    stream.gone();
                }
            });
            org.glassfish.grizzly.Connection<?> connection = request.getContext().getConnection();
            connection.addCloseListener((org.glassfish.grizzly.CloseListener<org.glassfish.grizzly.Closeable,
                    org.glassfish.grizzly.ICloseType>) (c, type) -> stream.gone());
            // Grizzly stops reading a connection whose response is suspended: read on, to see the client leave
            connection.enableIOEvent(org.glassfish.grizzly.IOEvent.READ);
            stream.open(limits.retry().toMillis());
            stream.attach(hub.connect(stream, Protocol.NATIVE));
            int n = 0;
            synchronized (stream.inbound) {
                for (String room : rooms) {
                    ObjectNode sub = mapper.createObjectNode();
                    sub.put("type", "subscribe");
                    sub.put("id", "sse-" + (++n));
                    sub.put("room", room);
                    SsePositions.Position p = since.get(room);
                    if (p != null) {
                        sub.put("since", p.offset());
                        sub.put("epoch", p.epoch());
                    }
                    stream.handle().onText(sub.toString());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("SSE stream could not start: {}", e.toString());
            stream.gone();
        }
        return Optional.empty();
    }

    /**
     * CORS for {@code POST /sse/KEY}: a request from the origin the stream was opened (and admitted) from may read
     * the answer; any other origin gets no CORS headers.
     */
    void allowOrigin(String key, Request request, Response response) {
        SseStream stream = streams.get(key);
        String origin = request.getHeader("Origin");
        if (stream != null && origin != null && origin.equals(stream.handshake().header("Origin").orElse(null))) {
            cors(origin, response);
        }
    }

    /** CORS headers for an origin on the hub's allow-list; none without a list (same-origin pages only). */
    private void cors(String origin, Response response) {
        if (origin != null && hub.allowedOrigins().map(list -> list.contains(origin)).orElse(false)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
            response.setHeader("Vary", "Origin");
        }
    }

    /** {@code POST /sse/KEY}: the stream's inbound frames, fed to the hub in order. */
    HttpRoute.Response post(String key, byte[] body) {
        SseStream stream = streams.get(key);
        if (stream == null || stream.handle() == null) {
            throw new HttpError(404, ErrorCode.NOT_FOUND, "no such SSE stream (it ended): open a new one");
        }
        JsonNode msg;
        try {
            msg = mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "malformed JSON");
        }
        List<String> frames = new ArrayList<>();
        if (msg != null && msg.isArray()) {
            if (msg.size() > limits.maxMessagesPerPost()) {
                throw new HttpError(413, ErrorCode.TOO_LARGE, "at most " + limits.maxMessagesPerPost()
                        + " messages per POST");
            }
            msg.forEach(m -> frames.add(m.toString()));
        } else if (msg != null && msg.isObject()) {
            frames.add(msg.toString());
        } else {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "a native message object, or an array of them");
        }
        synchronized (stream.inbound) {
            frames.forEach(stream.handle()::onText);
        }
        return HttpRoute.Response.json(202, "{\"accepted\":" + frames.size() + "}");
    }

    private Set<String> rooms(String list) {
        Set<String> rooms = new LinkedHashSet<>();
        if (list == null || list.isEmpty()) {
            return rooms; // direct events and broadcasts only
        }
        for (String r : list.split(",", -1)) {
            if (!RealtimeHub.validRoom(r)) {
                throw new HttpError(400, ErrorCode.BAD_REQUEST, "invalid room name '" + clip(r) + "'");
            }
            rooms.add(r);
        }
        if (rooms.size() > limits.maxRooms()) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "at most " + limits.maxRooms() + " rooms per stream");
        }
        return rooms;
    }

    private void reserve(String address) {
        if (open.incrementAndGet() > limits.maxStreams()) {
            open.decrementAndGet();
            throw new HttpError(503, ErrorCode.UNAVAILABLE, "too many SSE streams on this server ("
                    + limits.maxStreams() + "); retry later");
        }
        AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (mine.incrementAndGet() > limits.maxStreamsPerAddress()) {
            mine.decrementAndGet();
            open.decrementAndGet();
            throw new HttpError(429, ErrorCode.RATE_LIMITED, "too many SSE streams from this address ("
                    + limits.maxStreamsPerAddress() + ")");
        }
    }

    private void release(String key, String address) {
        if (streams.remove(key) != null) {
            open.decrementAndGet();
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    private String newKey() {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private Handshake handshake(Request request, Map<String, List<String>> query) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : request.getHeaderNames()) {
            List<String> values = new ArrayList<>();
            request.getHeaders(name).forEach(values::add);
            headers.put(name, values);
        }
        return new Handshake(path, headers, query, request.getRemoteAddr());
    }

    private static Optional<String> token(Request request, Map<String, List<String>> query) {
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && !auth.substring(7).isBlank()) {
            return Optional.of(auth.substring(7).trim());
        }
        return Optional.ofNullable(first(query, "token")).filter(t -> !t.isBlank());
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
