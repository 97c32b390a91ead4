package dev.realtime.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local fake of the Gemini REST API on an ephemeral port of 127.0.0.1 (JDK {@link HttpServer}).
 *
 * <ul>
 *   <li>{@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent[?alt=sse]};</li>
 *   <li>key from {@code x-goog-api-key}, else {@code ?key=}; no key -> 403 "unregistered callers" (E2);</li>
 *   <li>per-key scripted responses: a FIFO queue per key ({@link #enqueue}), then a sticky per-key response
 *       ({@link #always}), then a custom {@link #responder}, then the default (200 {@link GeminiBodies#OK});</li>
 *   <li>request validation like the real API: missing/empty {@code contents} -> 400, {@code responseSchema} without
 *       {@code responseMimeType: application/json} -> 400, unknown model (when {@link #knownModels} set) -> 404;</li>
 *   <li>error bodies pretty-printed with 2-space indentation, no {@code Retry-After} unless added;</li>
 *   <li>configurable latency; every request recorded in arrival order.</li>
 * </ul>
 * The server owns its executor and shuts it down in {@link #close()}.
 */
public final class FakeGeminiServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/v1beta/models/([^/:]+)(?::|%3A)(generateContent|streamGenerateContent)");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Deque<FakeResponse>> queues = new HashMap<>();
    private final Map<String, FakeResponse> sticky = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile FakeResponse defaultResponse = FakeResponse.ok(GeminiBodies.OK);
    private volatile Function<RecordedRequest, FakeResponse> responder;
    private volatile Duration latency = Duration.ZERO;
    private volatile List<String> knownModels;

    private FakeGeminiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "fake-gemini");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on an ephemeral port. */
    public static FakeGeminiServer start() {
        try {
            return new FakeGeminiServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:port}, to pass to {@code GeminiClient.Builder.baseUrl}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Appends responses to the queue of {@code key}; each is used once. */
    public FakeGeminiServer enqueue(String key, FakeResponse... responses) {
        synchronized (queues) {
            Deque<FakeResponse> q = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
            q.addAll(List.of(responses));
        }
        return this;
    }

    /** Answers every request of {@code key} with {@code response} once its queue is empty. */
    public FakeGeminiServer always(String key, FakeResponse response) {
        sticky.put(key, response);
        return this;
    }

    /** Response for keys without queue or sticky response (default 200 OK). */
    public FakeGeminiServer defaultResponse(FakeResponse response) {
        this.defaultResponse = response;
        return this;
    }

    /** Computes a response from the request (e.g. shared per-project counters); {@code null} falls through. */
    public FakeGeminiServer responder(Function<RecordedRequest, FakeResponse> responder) {
        this.responder = responder;
        return this;
    }

    /** Delay before every response. */
    public FakeGeminiServer latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** Restricts accepted model ids; others get 404 (E13). */
    public FakeGeminiServer knownModels(String... models) {
        this.knownModels = List.of(models);
        return this;
    }

    /** All requests in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Requests made with {@code key}. */
    public List<RecordedRequest> requestsFor(String key) {
        return requests.stream().filter(r -> key.equals(r.apiKey())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = ex.getRequestURI().getRawQuery();
            Map<String, String> params = parseQuery(query);
            String key = ex.getRequestHeaders().getFirst("x-goog-api-key");
            if (key == null) {
                key = params.get("key");
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
            String path = ex.getRequestURI().getRawPath();
            Matcher m = PATH.matcher(path);
            String model = m.matches() ? m.group(1) : null;
            String method = m.matches() ? m.group(2) : null;
            RecordedRequest rec = new RecordedRequest(seq.incrementAndGet(), System.nanoTime(),
                    ex.getRequestMethod(), path, query, headers, body, key, model, method);
            requests.add(rec);

            FakeResponse response = choose(rec);
            Duration delay = latency.plus(response.delay());
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            write(ex, response);
        }
    }

    private FakeResponse choose(RecordedRequest rec) {
        if (!"POST".equals(rec.method()) || rec.model() == null) {
            return FakeResponse.error(404, "{\"error\":{\"code\":404,\"message\":\"Not Found\",\"status\":\"NOT_FOUND\"}}");
        }
        if (rec.apiKey() == null || rec.apiKey().isBlank()) {
            return FakeResponse.error(403, GeminiBodies.MISSING_KEY);
        }
        if (knownModels != null && !knownModels.contains(rec.model())) {
            return FakeResponse.error(404, GeminiBodies.MODEL_NOT_FOUND);
        }
        FakeResponse invalid = validate(rec.body());
        if (invalid != null) {
            return invalid;
        }
        synchronized (queues) {
            Deque<FakeResponse> q = queues.get(rec.apiKey());
            if (q != null && !q.isEmpty()) {
                return q.poll();
            }
        }
        FakeResponse s = sticky.get(rec.apiKey());
        if (s != null) {
            return s;
        }
        Function<RecordedRequest, FakeResponse> r = responder;
        if (r != null) {
            FakeResponse computed = r.apply(rec);
            if (computed != null) {
                return computed;
            }
        }
        return defaultResponse;
    }

    private static FakeResponse validate(String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            return FakeResponse.error(400, "{\"error\":{\"code\":400,\"message\":\"Invalid JSON payload received.\",\"status\":\"INVALID_ARGUMENT\"}}");
        }
        JsonNode contents = root == null ? null : root.get("contents");
        if (contents == null || !contents.isArray() || contents.isEmpty()) {
            return FakeResponse.error(400, GeminiBodies.CONTENTS_NOT_SPECIFIED);
        }
        JsonNode gc = root.has("generationConfig") ? root.get("generationConfig") : root.path("generation_config");
        JsonNode schema = gc.has("responseSchema") ? gc.get("responseSchema") : gc.get("response_schema");
        String mime = gc.has("responseMimeType") ? gc.path("responseMimeType").asText() : gc.path("response_mime_type").asText();
        if (schema != null && !"application/json".equals(mime)) {
            return FakeResponse.error(400, "{\"error\":{\"code\":400,\"message\":\"* GenerateContentRequest.generation_config.response_mime_type: "
                    + "responseSchema requires responseMimeType application/json\\n\",\"status\":\"INVALID_ARGUMENT\"}}");
        }
        return null;
    }

    private static void write(HttpExchange ex, FakeResponse r) throws IOException {
        r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        if (r.sseChunks() != null) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(r.status(), 0);
            OutputStream out = ex.getResponseBody();
            String sep = r.crlf() ? "\r\n" : "\n";
            for (String chunk : r.sseChunks()) {
                out.write(("data: " + compact(chunk) + sep + sep).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            return;
        }
        byte[] bytes = (r.status() >= 400 ? pretty(r.body()) : r.body()).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private static String pretty(String json) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(MAPPER.readTree(json));
        } catch (IOException e) {
            return json;
        }
    }

    private static String compact(String json) {
        try {
            return MAPPER.writeValueAsString(MAPPER.readTree(json));
        } catch (IOException e) {
            return json;
        }
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new HashMap<>();
        if (query == null) {
            return out;
        }
        for (String pair : query.split("&")) {
            int i = pair.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    /** A scripted response. Build with the static factories. */
    public record FakeResponse(int status, String body, List<String> sseChunks, boolean crlf, Duration delay,
                               Map<String, String> headers) {
        public static FakeResponse ok(String body) {
            return new FakeResponse(200, body, null, false, Duration.ZERO, Map.of());
        }

        public static FakeResponse error(int status, String body) {
            return new FakeResponse(status, body, null, false, Duration.ZERO, Map.of());
        }

        /** An SSE stream of {@code chunks} (JSON objects), framed with CRLF when {@code crlf}. */
        public static FakeResponse sse(boolean crlf, String... chunks) {
            return new FakeResponse(200, null, List.of(chunks), crlf, Duration.ZERO, Map.of());
        }

        public FakeResponse withDelay(Duration delay) {
            return new FakeResponse(status, body, sseChunks, crlf, delay, headers);
        }

        public FakeResponse withHeader(String name, String value) {
            Map<String, String> h = new HashMap<>(headers);
            h.put(name, value);
            return new FakeResponse(status, body, sseChunks, crlf, delay, Map.copyOf(h));
        }
    }

    /** One received request. {@code headers} keys are lower-case. */
    public record RecordedRequest(long seq, long arrivalNanos, String method, String path, String query,
                                  Map<String, List<String>> headers, String body, String apiKey, String model,
                                  String rpc) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase());
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public List<String> headerNames() {
            return new ArrayList<>(headers.keySet());
        }
    }
}
