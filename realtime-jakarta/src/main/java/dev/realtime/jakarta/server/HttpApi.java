package dev.realtime.jakarta.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.PublishResult;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.StoreException;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import dev.realtime.core.jobs.JobPublisher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
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
    static final int MAX_HISTORY_LIMIT = 1000;

    private final RealtimeHub hub;
    private final ObjectMapper mapper;
    /** SHA-256 of the API key, or null when the API is open; hashes compare in constant time, any length. */
    private final byte[] apiKeyHash;
    /** Largest publish body: the server's body limit, never above the hub's frame limit. */
    private final long publishMaxBytes;
    /** The guard that times request bodies, or null (then only the body size is bounded). */
    private final ConnectionGuard guard;
    private final String wsPath;
    private final String socketIoPath;
    private final Map<String, Map<String, RouteEntry>> routes;
    private final long startedAt = System.nanoTime();
    /** Engine.IO long-polling on the Socket.IO path; null when the hub has Socket.IO disabled. */
    private final GrizzlyPolling polling;

    /** An extra route with the largest body it accepts. */
    record RouteEntry(HttpRoute route, long maxBodyBytes) {
    }

    HttpApi(RealtimeHub hub, String apiKey, long publishMaxBytes, String wsPath, String socketIoPath,
            Map<String, Map<String, RouteEntry>> routes, ConnectionGuard guard) {
        this.hub = hub;
        this.mapper = hub.mapper();
        this.apiKeyHash = apiKey == null ? null : sha256(apiKey);
        this.publishMaxBytes = publishMaxBytes;
        this.guard = guard;
        this.wsPath = wsPath;
        this.socketIoPath = socketIoPath;
        Map<String, Map<String, RouteEntry>> copy = new LinkedHashMap<>();
        routes.forEach((p, byMethod) -> copy.put(p, Map.copyOf(byMethod)));
        this.routes = Map.copyOf(copy);
        this.polling = hub.engine().socketIoOptions() == null ? null
                : new GrizzlyPolling(hub.polling(), hub.engine().socketIoOptions().maxPayload(), guard);
    }

    /** Whether a request is for the Socket.IO path (a malformed path is not: route() answers it). */
    private boolean isSocketIoPath(Request request) {
        try {
            String path = RequestPaths.canonical(request.getRequestURI());
            return path.startsWith(socketIoPath) || (path + "/").equals(socketIoPath);
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean hasApiKey() {
        return apiKeyHash != null;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        if (polling != null && isSocketIoPath(request)) {
            polling.service(request, response); // Engine.IO long-polling answers (and suspends) by itself
            return;
        }
        String method = request.getMethod().getMethodString();
        Target target;
        try {
            String path = RequestPaths.canonical(request.getRequestURI());
            target = route(method, path, request);
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
        BodyReader reader = new BodyReader(request, response, target, declared);
        if (guard != null) {
            guard.onSlowBody(request.getContext().getConnection(), reader::tooSlow);
        }
        request.getNIOInputStream().notifyAvailable(reader);
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

    private Target route(String method, String path, Request request) {
        if (path.equals("/health")) {
            requireMethod(method, "GET");
            return new Target(0, false, body -> health(request));
        }
        if (path.startsWith(JOBS)) {
            String rest = path.substring(JOBS.length());
            if (rest.endsWith("/events")) {
                requireMethod(method, "POST");
                requireApiKey(request);
                String jobId = jobId(rest, "/events");
                return new Target(publishMaxBytes, true, body -> publish(jobId, body, request));
            }
            if (rest.endsWith("/history")) {
                requireMethod(method, "GET");
                String jobId = jobId(rest, "/history");
                requireHistoryAccess(jobId, request);
                return new Target(0, false, body -> history(jobId, request));
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

    /**
     * Collects a request body from Grizzly's non-blocking input: called on worker threads as data arrives, never
     * blocking one. Finishes once: with the handler's response, 413 past the limit, 408 when the guard finds it
     * too slow, or nothing when the client went away.
     */
    private final class BodyReader implements org.glassfish.grizzly.ReadHandler {
        private final Request request;
        private final Response response;
        private final Target target;
        private final ByteArrayOutputStream out;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

        BodyReader(Request request, Response response, Target target, long declared) {
            this.request = request;
            this.response = response;
            this.target = target;
            this.out = new ByteArrayOutputStream(declared > 0 ? (int) Math.min(declared, 1 << 20) : 1024);
        }

        @Override
        public void onDataAvailable() throws Exception {
            if (drain()) {
                request.getNIOInputStream().notifyAvailable(this);
            }
        }

        @Override
        public void onAllDataRead() throws Exception {
            if (drain() && done.compareAndSet(false, true)) {
                try {
                    respond(request, response, target, out.toByteArray());
                } finally {
                    response.resume();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            if (done.compareAndSet(false, true)) {
                log.debug("request body of {} failed: {}", clip(request.getRequestURI()), t.toString());
                response.resume();
            }
        }

        /** Called by the guard's sweep: answers 408 and closes. */
        void tooSlow() {
            if (done.compareAndSet(false, true)) {
                log.debug("request body of {} too slow: {} bytes so far", clip(request.getRequestURI()), out.size());
                finishWithError(error(408, ErrorCode.BAD_REQUEST, "request body too slow: at least "
                        + "the minimum rate is required"));
            }
        }

        /** Reads what is ready; false when the reader is finished (limit exceeded or answered). */
        private boolean drain() throws IOException {
            if (done.get()) {
                return false;
            }
            org.glassfish.grizzly.http.io.NIOInputStream in = request.getNIOInputStream();
            int ready = in.readyData();
            if (ready > 0) {
                org.glassfish.grizzly.Buffer b = in.readBuffer(ready);
                try {
                    if (out.size() + b.remaining() > target.maxBody()) {
                        if (done.compareAndSet(false, true)) {
                            finishWithError(error(413, ErrorCode.TOO_LARGE, "body exceeds " + target.maxBody()
                                    + " bytes"));
                        }
                        return false;
                    }
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    out.write(chunk, 0, chunk.length);
                } finally {
                    b.tryDispose();
                }
            }
            return true;
        }

        private void finishWithError(HttpRoute.Response error) {
            try {
                write(response, error, true);
            } catch (IOException | RuntimeException e) {
                log.debug("error response failed: {}", e.toString());
            } finally {
                response.resume();
            }
        }
    }

    // ---- built-in API -----------------------------------------------------------------------------------

    /** Status for anyone; the counters only on an open server or with the API key (metrics belong elsewhere). */
    private HttpRoute.Response health(Request request) {
        ObjectNode out = mapper.createObjectNode();
        out.put("status", hub.isRunning() ? "ok" : "stopping");
        if (!secured() || validApiKey(request)) {
            out.setAll((ObjectNode) mapper.valueToTree(hub.stats()));
        }
        out.put("uptimeSeconds", (System.nanoTime() - startedAt) / 1_000_000_000L);
        return HttpRoute.Response.json(200, out.toString());
    }

    private HttpRoute.Response publish(String jobId, byte[] body, Request request) {
        JsonNode msg = json(body);
        String type = requiredText(msg, "type");
        String userId = optionalText(msg, "userId");
        JobPublisher.Job job;
        String key = request.getHeader("Idempotency-Key");
        try {
            JobPublisher jobs = key == null || key.isEmpty() ? hub.jobs() : hub.jobs().idempotent(key);
            job = jobs.job(jobId, userId);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, e.getMessage());
        }
        PublishResult result = switch (type) {
            case "progress" -> {
                JsonNode p = msg.get("progress");
                if (p == null || !p.isIntegralNumber() || !p.canConvertToInt() || p.asInt() < 0 || p.asInt() > 100) {
                    throw new HttpError(400, ErrorCode.BAD_REQUEST, "'progress' must be an integer from 0 to 100");
                }
                yield job.progress(p.asInt(), optionalText(msg, "message"));
            }
            case "update" -> job.update(requiredText(msg, "status"), msg.has("data") ? msg.get("data") : null);
            case "completed" -> job.completed(msg.has("result") ? msg.get("result") : null);
            case "error" -> job.failed(requiredText(msg, "error"));
            default -> throw new HttpError(400, ErrorCode.BAD_REQUEST, "unknown type '" + clip(type)
                    + "'; expected progress, update, completed or error");
        };
        ObjectNode out = mapper.createObjectNode();
        out.put("offset", result.offset());
        out.put("epoch", result.epoch());
        out.put("stream", result.stream());
        out.put("delivered", result.delivered());
        out.put("duplicate", result.duplicate());
        // a repeat with the same Idempotency-Key stored nothing new: 200 with the first publish's offset
        return HttpRoute.Response.json(result.duplicate() ? 200 : 201, out.toString());
    }

    private HttpRoute.Response history(String jobId, Request request) throws JsonProcessingException {
        long after = longParam(request, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) longParam(request, "limit", 100, 1, MAX_HISTORY_LIMIT);
        String stream = "job:" + jobId;
        HistoryPage page = hub.history(stream, after, limit);
        ObjectNode out = mapper.createObjectNode();
        out.put("jobId", jobId);
        out.put("stream", stream);
        out.put("epoch", page.position().epoch());
        out.put("offset", page.position().offset());
        out.put("complete", page.complete());
        ArrayNode events = out.putArray("events");
        for (HistoryEntry e : page.entries()) {
            ObjectNode ev = events.addObject();
            ev.put("offset", e.offset());
            ev.put("epoch", e.epoch());
            ev.put("event", e.event());
            ev.set("data", mapper.readTree(e.data()));
            ev.put("timestamp", e.timestamp().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        }
        return HttpRoute.Response.json(200, out.toString());
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /**
     * History is open only on an open server (no API key, no authenticator). Otherwise it needs the API key, or a
     * bearer token of the job's owner or of an admin (the hub's room rules for {@code job:{id}} decide).
     */
    private boolean secured() {
        return apiKeyHash != null || hub.engine().authenticator != null;
    }

    private boolean validApiKey(Request request) {
        String given = request.getHeader("X-Api-Key");
        return apiKeyHash != null && given != null && !given.isEmpty()
                && MessageDigest.isEqual(apiKeyHash, sha256(given));
    }

    private void requireHistoryAccess(String jobId, Request request) {
        if (!secured()) {
            return;
        }
        String key = request.getHeader("X-Api-Key");
        if (key != null && !key.isEmpty() && apiKeyHash != null) {
            requireApiKey(request);
            return;
        }
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && hub.engine().authenticator != null) {
            dev.realtime.core.security.Principal p;
            try {
                p = hub.engine().authenticator.authenticate(auth.substring(7).trim());
            } catch (dev.realtime.core.RealtimeException e) {
                throw new HttpError(401, ErrorCode.UNAUTHORIZED, e.getMessage());
            }
            boolean owner = hub.jobs().ownerOf(jobId).map(p.userId()::equals).orElse(false);
            if (!owner && !p.hasRole("admin")) {
                throw new HttpError(403, ErrorCode.FORBIDDEN, "only the job's owner may read its history");
            }
            return;
        }
        throw new HttpError(401, ErrorCode.UNAUTHORIZED, "history needs X-Api-Key or the job owner's bearer token");
    }

    private void requireApiKey(Request request) {
        if (apiKeyHash == null) {
            return;
        }
        String given = request.getHeader("X-Api-Key");
        if (given == null || given.isEmpty()) {
            throw new HttpError(401, ErrorCode.UNAUTHORIZED, "missing X-Api-Key header");
        }
        if (!MessageDigest.isEqual(apiKeyHash, sha256(given))) {
            throw new HttpError(401, ErrorCode.UNAUTHORIZED, "invalid API key");
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw new HttpError(405, ErrorCode.BAD_REQUEST, "method " + method + " not allowed; use " + allowed);
        }
    }

    private static String jobId(String rest, String suffix) {
        String id = rest.substring(0, rest.length() - suffix.length());
        if (id.isEmpty() || !dev.realtime.core.internal.Rooms.valid("job:" + id)) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST,
                    "invalid job id '" + clip(id) + "': letters, digits and :_-./@ only");
        }
        return id;
    }

    private JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "a JSON body is required");
        }
        JsonNode msg;
        try {
            msg = mapper.readTree(body);
        } catch (IOException e) {
            String m = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "malformed JSON: " + firstLine(m));
        }
        if (msg == null || !msg.isObject()) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "the body must be a JSON object");
        }
        return msg;
    }

    private static String requiredText(JsonNode msg, String field) {
        JsonNode v = msg.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "missing string field '" + field + "'");
        }
        return v.asText();
    }

    private static String optionalText(JsonNode msg, String field) {
        JsonNode v = msg.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "'" + field + "' must be a string");
        }
        return v.asText();
    }

    private static long longParam(Request request, String name, long dflt, long min, long max) {
        String v = request.getParameter(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "'" + name + "' must be an integer");
        }
        if (n < min || n > max) {
            throw new HttpError(400, ErrorCode.BAD_REQUEST, "'" + name + "' must be from " + min + " to " + max);
        }
        return n;
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

    private static Map<String, List<String>> headers(Request request) {
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

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** An HTTP error with its status and code. */
    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final ErrorCode code;

        HttpError(int status, ErrorCode code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }
}
