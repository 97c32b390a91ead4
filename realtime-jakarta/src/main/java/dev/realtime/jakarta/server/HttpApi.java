package dev.realtime.jakarta.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.StoreException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.RequestExecutorProvider;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@link RealtimeServer}: the built-in API (health, publish, history) and the extra routes.
 * Every error is a JSON body {@code {"error":{"code":..,"message":..}}} with a matching status. Runs on Grizzly
 * worker threads; stateless apart from final configuration, so thread-safe.
 */
final class HttpApi extends HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final String JOBS = "/api/jobs/";
    
    private final RealtimeHub hub;
    private final ObjectMapper mapper;
    /** Health, publish and history. */
    private final JobsApi jobs;
    /** {@code POST /api/pushes}. */
    private final PushesApi pushes;
    /** Largest publish body: the server's body limit, never above the hub's frame limit. */
    private final long publishMaxBytes;
    /** The guard that times request bodies, or null (then only the body size is bounded). */
    private final ConnectionGuard guard;
    private final String wsPath;
    private final String socketIoPath;
    private final Map<String, Map<String, RouteEntry>> routes;
    /** Engine.IO long-polling on the Socket.IO path; null when the hub has Socket.IO disabled. */
    private final GrizzlyPolling polling;
    /** The native protocol's SSE fallback. */
    private final GrizzlySse sse;
    /** {@code GET /realtime.js}: the browser client. */
    private final ClientScript script;

    /** An extra route with the largest body it accepts. */
    record RouteEntry(HttpRoute route, long maxBodyBytes) {
    }

    HttpApi(RealtimeHub hub, String apiKey, long publishMaxBytes, String wsPath, String socketIoPath,
            Map<String, Map<String, RouteEntry>> routes, ConnectionGuard guard, GrizzlySse sse,
            ClientScript script) {
        this.hub = hub;
        this.mapper = hub.mapper();
        this.jobs = new JobsApi(hub, apiKey);
        this.pushes = new PushesApi(new dev.realtime.core.pushes.PushPublisher(hub), mapper, jobs);
        this.publishMaxBytes = publishMaxBytes;
        this.guard = guard;
        this.wsPath = wsPath;
        this.socketIoPath = socketIoPath;
        Map<String, Map<String, RouteEntry>> copy = new LinkedHashMap<>();
        routes.forEach((p, byMethod) -> copy.put(p, Map.copyOf(byMethod)));
        this.routes = Map.copyOf(copy);
        this.sse = sse;
        this.script = script;
        this.polling = hub.socketIoOptions().map(o -> new GrizzlyPolling(hub.polling(), o.maxPayload(), guard))
                .orElse(null);
    }

    /** Starts the timed work of the API's parts on the server's {@code timer}. */
    void start(java.util.concurrent.ScheduledExecutorService timer) {
        if (polling != null) {
            polling.start(timer);
        }
    }

    boolean hasApiKey() {
        return jobs.hasApiKey();
    }

    private boolean pollingPath(String canonicalPath) {
        return canonicalPath.startsWith(socketIoPath) || (canonicalPath + "/").equals(socketIoPath);
    }

    /**
     * Where a request is served: a poll of an open Engine.IO session (it carries a {@code sid}) on the thread that
     * parsed it, and its connection's later reads there too ({@link InlineReads}); anything else on a worker
     * when it was parsed on a selector thread, as Grizzly's default does.
     */
    @Override
    public RequestExecutorProvider getRequestExecutorProvider() {
        return executors;
    }

    private final RequestExecutorProvider executors = this::executorFor;

    private java.util.concurrent.Executor executorFor(Request request) {
        org.glassfish.grizzly.Connection<?> connection = request.getContext().getConnection();
        boolean inline = polling != null && sessionPoll(request);
        InlineReads.mark(connection, inline);
        return inline || !org.glassfish.grizzly.threadpool.Threads.isService() ? null
                : connection.getTransport().getWorkerThreadPool();
    }

    private boolean sessionPoll(Request request) {
        String query = request.getQueryString();
        if (query == null || !query.contains("sid")) {
            return false;
        }
        try {
            return pollingPath(RequestPaths.canonical(request.getRequestURI()))
                    && HandshakeAdmissionFilter.queryParam(query, "sid").isPresent();
        } catch (RequestPaths.MalformedPathException e) {
            return false;
        }
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        String method = request.getMethod().getMethodString();
        Target target;
        try {
            String path = RequestPaths.canonical(request.getRequestURI());
            if (polling != null && pollingPath(path)) {
                polling.service(request, response); // Engine.IO long-polling answers (and suspends) by itself
                return;
            }
            if (path.equals(sse.path()) && method.equals("GET")) {
                java.util.Optional<HttpRoute.Response> refused = sse.open(request, response);
                if (refused.isPresent()) {
                    write(response, refused.get(), false);
                }
                return;
            }
            if (script.serves(path) && (method.equals("GET") || method.equals("HEAD"))) {
                script.serve(path, request, response);
                return;
            }
            target = route(method, path, request, response);
        } catch (RuntimeException e) {
            write(response, failure(request, e), false);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > target.maxBody()) {
            write(response, error(413, ErrorCode.TOO_LARGE, "body exceeds " + target.maxBody() + " bytes"), true);
            return;
        }
        boolean chunked = declared < 0 && request.getHeader("Transfer-Encoding") != null;
        if (!target.readsBody() || declared == 0 || (declared < 0 && !chunked)) {
            respond(request, response, target, new byte[0]);
            return;
        }
        // the body arrives without holding this worker: the response is suspended until it is complete
        response.suspend();
        BodyReader reader = new BodyReader(request, target.maxBody(), declared, new BodyReader.Sink() {
            @Override
            public void body(byte[] body) throws IOException {
                try {
                    respond(request, response, target, body);
                } finally {
                    response.resume();
                }
            }

            @Override
            public void tooLarge() throws IOException {
                refuse(413, ErrorCode.TOO_LARGE, "body exceeds " + target.maxBody() + " bytes");
            }

            @Override
            public void tooSlow() throws IOException {
                refuse(408, ErrorCode.BAD_REQUEST, "request body too slow: below the minimum rate");
            }

            @Override
            public void failed(Throwable t) {
                // never the container's default (an empty 200): a client still there learns the body was not taken
                try {
                    refuse(400, ErrorCode.BAD_REQUEST, "the request body could not be read");
                } catch (IOException | RuntimeException e) {
                    log.debug("400 response failed: {}", e.toString()); // the client went away
                }
            }

            private void refuse(int status, ErrorCode code, String message) throws IOException {
                try {
                    write(response, error(status, code, message), true);
                } finally {
                    response.resume();
                }
            }
        });
        if (guard != null) {
            guard.onSlowBody(request.getContext().getConnection(), reader::tooSlow);
        }
        reader.start();
    }

    private void respond(Request request, Response response, Target target, byte[] body) throws IOException {
        HttpRoute.Response out;
        try {
            out = target.handler().handle(body);
        } catch (Exception e) {
            out = failure(request, e);
        }
        write(response, out, false);
    }

    /** Maps an exception to its error response; logs one short line for client errors, a stack for ours. */
    private HttpRoute.Response failure(Request request, Exception e) {
        if (e instanceof HttpError he) {
            log.debug("{} {}: {} {}", request.getMethod(), clip(request.getRequestURI()), he.status, he.getMessage());
            return error(he.status, he.code, he.getMessage());
        }
        if (e instanceof StoreException) {
            log.warn("history store unavailable: {}", e.toString());
            return error(503, ErrorCode.UNAVAILABLE, "history store unavailable, retry later");
        }
        if (e instanceof RealtimeException re) {
            log.debug("{} {}: {} {}", request.getMethod(), clip(request.getRequestURI()), re.code(), re.getMessage());
            return error(status(re.code()), re.code(), re.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            log.debug("{} {}: bad request: {}", request.getMethod(), clip(request.getRequestURI()), e.getMessage());
            return error(400, ErrorCode.BAD_REQUEST, e.getMessage());
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return error(404, ErrorCode.NOT_FOUND, "no such file");
        }
        log.error("{} {} failed", request.getMethod(), clip(request.getRequestURI()), e);
        return error(500, ErrorCode.INTERNAL, "internal error");
    }

    /** What a request resolves to before its body is read: the handler and the largest body it accepts. */
    private record Target(long maxBody, boolean readsBody, BodyHandler handler) {
    }

    @FunctionalInterface
    private interface BodyHandler {
        HttpRoute.Response handle(byte[] body) throws Exception;
    }

    private Target route(String method, String path, Request request, Response response) {
        if (path.equals("/health")) {
            requireMethod(method, "GET");
            return new Target(0, false, body -> jobs.health(request));
        }
        if (path.equals(PushesApi.PATH)) {
            requireMethod(method, "POST");
            jobs.requireApiKey(request);
            return new Target(publishMaxBytes, true, pushes::publish);
        }
        if (path.startsWith(sse.path() + "/")) {
            requireMethod(method, "POST");
            String key = path.substring(sse.path().length() + 1);
            sse.allowOrigin(key, request, response); // a page on the stream's admitted origin may read the answer
            return new Target(publishMaxBytes, true, body -> sse.post(key, body));
        }
        if (path.startsWith(JOBS)) {
            String rest = path.substring(JOBS.length());
            if (rest.endsWith("/events")) {
                requireMethod(method, "POST");
                jobs.requireApiKey(request);
                String jobId = JobsApi.jobId(rest, "/events");
                return new Target(publishMaxBytes, true, body -> jobs.publish(jobId, body, request));
            }
            if (rest.endsWith("/history")) {
                requireMethod(method, "GET");
                String jobId = JobsApi.jobId(rest, "/history");
                jobs.requireHistoryAccess(jobId, request);
                return new Target(0, false, body -> jobs.history(jobId, request));
            }
            throw new HttpError(404, ErrorCode.NOT_FOUND, "no such resource: " + clip(path));
        }
        if (path.equals(wsPath)) {
            throw new HttpError(426, ErrorCode.BAD_REQUEST, "WebSocket upgrade required on " + wsPath);
        }
        if (path.startsWith(socketIoPath) || (path + "/").equals(socketIoPath)) {
            // Socket.IO disabled on the hub (with it enabled, service() hands these requests to polling)
            return new Target(0, false, body -> new HttpRoute.Response(400, "application/json",
                    "{\"code\":0,\"message\":\"Transport unknown\"}".getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, RouteEntry> byMethod = routes.get(path);
        if (byMethod == null) {
            // prefix routes ("/api/files/*"): the longest matching prefix wins
            String best = null;
            for (String key : routes.keySet()) {
                if (key.endsWith("/*") && path.startsWith(key.substring(0, key.length() - 1))
                        && path.length() > key.length() - 1 && (best == null || key.length() > best.length())) {
                    best = key;
                }
            }
            byMethod = best == null ? null : routes.get(best);
        }
        if (byMethod == null) {
            throw new HttpError(404, ErrorCode.NOT_FOUND, "no such resource: " + clip(path));
        }
        RouteEntry route = byMethod.get(method);
        if (route == null) {
            throw new HttpError(405, ErrorCode.BAD_REQUEST, "method " + method + " not allowed; use "
                    + String.join(", ", byMethod.keySet()));
        }
        Map<String, List<String>> query = query(request);
        Map<String, List<String>> headers = headers(request);
        String peer = hub.clientAddress(new dev.realtime.core.Handshake(path, headers, Map.of(),
                request.getRemoteAddr()));
        return new Target(route.maxBodyBytes(), true, body -> route.route().handle(
                new HttpRoute.Request(method, path, query, headers, body, peer)));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw new HttpError(405, ErrorCode.BAD_REQUEST, "method " + method + " not allowed; use " + allowed);
        }
    }

    private static Map<String, List<String>> query(Request request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String q = request.getQueryString();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** Every header of {@code request} with all its values, in the request's order. */
    static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : request.getHeaderNames()) {
            List<String> values = new ArrayList<>();
            request.getHeaders(name).forEach(values::add);
            out.put(name, values);
        }
        return out;
    }

    private HttpRoute.Response error(int status, ErrorCode code, String message) {
        ObjectNode out = mapper.createObjectNode();
        ObjectNode err = out.putObject("error");
        err.put("code", code.wire());
        err.put("message", message == null ? code.wire() : message);
        return HttpRoute.Response.json(status, out.toString());
    }

    private static void write(Response response, HttpRoute.Response out, boolean close) throws IOException {
        response.setStatus(out.status());
        if (close) {
            response.setHeader("Connection", "close");
        }
        response.setContentType(out.contentType());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(out.body().length);
        response.getOutputStream().write(out.body());
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST, UNKNOWN_EVENT -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case TOO_LARGE -> 413;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }


}
