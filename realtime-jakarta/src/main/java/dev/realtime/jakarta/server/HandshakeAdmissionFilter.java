package dev.realtime.jakarta.server;

import dev.realtime.core.Handshake;
import dev.realtime.core.HandshakeRejection;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.utils.Charsets;

/**
 * Decides once per connection, at the upgrade request, whether a WebSocket may be opened, and refuses it with a
 * plain HTTP answer before Tyrus accepts it: the hub's admission checks (origin allow-list 403, handshake rate and
 * connections per client address or user 429) and, on the Socket.IO path, Engine.IO's own rules ({@code EIO=4}
 * and {@code transport=websocket}, else 400 with Engine.IO's JSON body).
 *
 * <p>Only the exact endpoint paths reach Tyrus: an upgrade whose path is malformed, or that names an endpoint in
 * another spelling ({@code /%77s}, {@code /ws;x=1}, {@code /WS}), gets 400; an upgrade to any other path 404. Once
 * a connection is admitted every later read passes untouched, so no HTTP bytes are ever written into an upgraded
 * stream. Other requests pass untouched. Stateless apart from the hub it asks and a per-connection mark.
 */
final class HandshakeAdmissionFilter extends BaseFilter {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HandshakeAdmissionFilter.class);
    private static final org.glassfish.grizzly.attributes.Attribute<Boolean> ADMITTED =
            org.glassfish.grizzly.Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute("realtime.upgrade-admitted");

    private final RealtimeHub hub;
    private final String wsPath;
    private final String socketIoPath;
    /** True while native WebSocket upgrades are refused (503). */
    private final java.util.function.BooleanSupplier refuseNative;

    private HandshakeAdmissionFilter(RealtimeHub hub, String wsPath, String socketIoPath,
                                     java.util.function.BooleanSupplier refuseNative) {
        this.hub = hub;
        this.wsPath = wsPath;
        this.socketIoPath = socketIoPath;
        this.refuseNative = refuseNative;
    }

    /** An add-on placing the filter right in front of the HTTP server filter (so before Tyrus's). */
    static AddOn addOn(RealtimeHub hub, String wsPath, String socketIoPath,
                       java.util.function.BooleanSupplier refuseNative) {
        return new AddOn() {
            @Override
            public void setup(NetworkListener listener, FilterChainBuilder builder) {
                int http = builder.indexOfType(HttpServerFilter.class);
                int at = http;
                for (int i = 0; i < http; i++) {
                    if (builder.get(i).getClass().getName().startsWith("org.glassfish.tyrus")) {
                        at = i;
                        break;
                    }
                }
                if (at >= 0) {
                    builder.add(at, new HandshakeAdmissionFilter(hub, wsPath, socketIoPath, refuseNative));
                }
            }
        };
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (!(ctx.getMessage() instanceof HttpContent content)) {
            return ctx.getInvokeAction();
        }
        if (ADMITTED.get(ctx.getConnection()) != null) {
            return ctx.getInvokeAction(); // an admitted upgrade: WebSocket bytes from here on
        }
        HttpHeader header = content.getHttpHeader();
        if (!(header instanceof HttpRequestPacket request) || !"websocket".equalsIgnoreCase(request.getUpgrade())) {
            return ctx.getInvokeAction();
        }
        if (org.glassfish.grizzly.threadpool.Threads.isService()) {
            return admitOnWorker(ctx, request);
        }
        return admit(ctx, request);
    }

    /**
     * An upgrade parsed on a selector thread (a connection that carried polls: {@link InlineReads}): the admission
     * checks (a token's verification among them) and the WebSocket's opening run on a worker, as for any other
     * connection; the chain goes on from there.
     */
    private NextAction admitOnWorker(FilterChainContext ctx, HttpRequestPacket request) {
        InlineReads.mark(ctx.getConnection(), false);
        ctx.suspend();
        try {
            ctx.getConnection().getTransport().getWorkerThreadPool().execute(() -> {
                NextAction next;
                try {
                    next = admit(ctx, request);
                } catch (RuntimeException e) {
                    log.warn("upgrade admission failed: {}", e.toString());
                    ctx.getConnection().closeSilently();
                    next = ctx.getStopAction();
                }
                ctx.resume(next);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the worker queue is full (ServerLimits.workerQueue): the upgrade is dropped, as Grizzly drops a read
            log.warn("upgrade dropped, no worker free: {}", e.toString());
            ctx.getConnection().closeSilently();
            ctx.resume(ctx.getStopAction());
        }
        return ctx.getSuspendAction();
    }

    private NextAction admit(FilterChainContext ctx, HttpRequestPacket request) {
        String raw = request.getRequestURI();
        String path;
        try {
            path = RequestPaths.canonical(raw);
        } catch (RequestPaths.MalformedPathException e) {
            return refuse(ctx, request, new HandshakeRejection(400, "application/json",
                    errorJson("bad_request", "malformed path: " + e.getMessage())));
        }
        Protocol protocol;
        String exact;
        if (RequestPaths.sameRoute(path, wsPath)) {
            protocol = Protocol.NATIVE;
            exact = wsPath;
        } else if (RequestPaths.sameRoute(path, socketIoPath)) {
            protocol = Protocol.SOCKET_IO;
            exact = socketIoPath;
        } else {
            return refuse(ctx, request, new HandshakeRejection(404, "application/json",
                    errorJson("not_found", "no WebSocket endpoint at this path")));
        }
        if (!raw.equals(exact) && !(raw + "/").equals(exact) && !raw.equals(exact + "/")) {
            return refuse(ctx, request, new HandshakeRejection(400, "application/json",
                    errorJson("bad_request", "use the endpoint path exactly: " + exact)));
        }
        if (protocol == Protocol.NATIVE && refuseNative.getAsBoolean()) {
            return refuse(ctx, request, new HandshakeRejection(503, "application/json",
                    errorJson("unavailable", "WebSocket upgrades are refused for now: use the SSE fallback")));
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : request.getHeaders().names()) {
            List<String> values = new ArrayList<>();
            request.getHeaders().values(name).forEach(values::add);
            headers.put(name, values);
        }
        Handshake handshake = new Handshake(exact, headers, query(request.getQueryString()),
                request.getRemoteAddress());
        Optional<HandshakeRejection> rejection = hub.checkHandshake(protocol, handshake);
        if (rejection.isEmpty()) {
            ADMITTED.set(ctx.getConnection(), Boolean.TRUE);
            return ctx.getInvokeAction();
        }
        return refuse(ctx, request, rejection.get());
    }

    /**
     * An admitted upgrade that the WebSocket layer then refused (any answer but 101) leaves the connection plain
     * HTTP: the mark is dropped, so a later upgrade on the same connection is checked again.
     */
    @Override
    public NextAction handleWrite(FilterChainContext ctx) throws IOException {
        if (ADMITTED.get(ctx.getConnection()) != null) {
            Object msg = ctx.getMessage();
            HttpHeader header = msg instanceof HttpContent c ? c.getHttpHeader() : msg instanceof HttpHeader h ? h : null;
            if (header instanceof HttpResponsePacket response && response.getStatus() != 101) {
                ADMITTED.remove(ctx.getConnection());
            }
        }
        return ctx.getInvokeAction();
    }

    private static String errorJson(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"}}";
    }

    private NextAction refuse(FilterChainContext ctx, HttpRequestPacket request, HandshakeRejection r) {
        HttpResponsePacket response = request.getResponse();
        response.setStatus(r.status());
        response.setContentType(r.contentType());
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getHeaders().setValue("Connection").setString("close");
        response.setUpgrade(null);
        org.glassfish.grizzly.Connection<?> connection = ctx.getConnection();
        FilterWrites.thenClose(ctx, HttpContent.builder(response)
                .content(Buffers.wrap(ctx.getMemoryManager(), r.body(), Charsets.UTF8_CHARSET))
                .last(true).build());
        return ctx.getStopAction();
    }

    static Map<String, List<String>> query(String queryString) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        scan(queryString, (q, start, keyEnd, end) -> {
            out.computeIfAbsent(decode(q.substring(start, keyEnd)), x -> new ArrayList<>()).add(value(q, keyEnd, end));
            return false;
        });
        return out;
    }

    /**
     * The first value of one parameter of a raw query string, as {@code query(queryString).get(name).get(0)}, without
     * building the map: a poll reads two or three parameters of its query.
     */
    static java.util.Optional<String> queryParam(String queryString, String name) {
        String[] found = new String[1];
        scan(queryString, (q, start, keyEnd, end) -> {
            boolean match = plain(q, start, keyEnd)
                    ? keyEnd - start == name.length() && q.startsWith(name, start)
                    : name.equals(decode(q.substring(start, keyEnd)));
            if (match) {
                found[0] = value(q, keyEnd, end);
            }
            return match;
        });
        return java.util.Optional.ofNullable(found[0]);
    }

    /** One {@code key[=value]} pair of a query: {@code q[start, keyEnd)} the key, {@code q[keyEnd, end)} the rest. */
    private interface PairVisitor {
        /** @return true to stop the scan */
        boolean visit(String q, int start, int keyEnd, int end);
    }

    /** Visits the non-empty {@code &}-separated pairs of {@code q} (null: none) in order, until a visit says stop. */
    private static void scan(String q, PairVisitor visitor) {
        if (q == null) {
            return;
        }
        int start = 0;
        int length = q.length();
        while (start < length) {
            int amp = q.indexOf('&', start);
            int end = amp < 0 ? length : amp;
            if (end > start) {
                int eq = q.indexOf('=', start);
                if (visitor.visit(q, start, eq < 0 || eq > end ? end : eq, end)) {
                    return;
                }
            }
            start = end + 1;
        }
    }

    /** The decoded value of a pair: after its {@code =}, or empty without one. */
    private static String value(String q, int keyEnd, int end) {
        return keyEnd == end ? "" : decode(q.substring(keyEnd + 1, end));
    }

    /** Whether {@code s[from, to)} decodes to itself: no escape, no '+'. */
    private static boolean plain(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                return false;
            }
        }
        return true;
    }

    private static String decode(String s) {
        if (plain(s, 0, s.length())) {
            return s; // URLDecoder would answer s too, after allocating its StringBuilder
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
