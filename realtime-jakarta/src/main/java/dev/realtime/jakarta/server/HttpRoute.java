package dev.realtime.jakarta.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An extra HTTP route served by {@link RealtimeServer} beside its built-in API, on the same port (e.g. a demo
 * endpoint or a static page). Container types never leak: a route sees a {@link Request} and returns a
 * {@link Response}.
 *
 * <p>Called on a server worker thread once the whole body has arrived (bodies are read without holding a
 * thread, within the route's body limit: 413 beyond it); may block briefly. An exception becomes a 500 with an {@code internal}
 * error body; throw {@link dev.realtime.core.RealtimeException} to choose the error code (mapped to a status).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface HttpRoute {

    /** Handles one request. */
    Response handle(Request request) throws Exception;

    /**
     * One HTTP request, body fully read (bounded by the server's body limit).
     *
     * @param method  upper-case method, e.g. {@code POST}
     * @param path    request path without the query
     * @param query   decoded query parameters
     * @param headers headers, names matched case-insensitively by {@link #header}
     * @param body    the request body, possibly empty
     * @param clientAddress the client's address (behind trusted proxies, the forwarded one), or {@code "unknown"}
     */
    record Request(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers,
                   byte[] body, String clientAddress) {
        public Request {
            clientAddress = clientAddress == null ? "unknown" : clientAddress;
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            query = Map.copyOf(query);
            TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
            headers = java.util.Collections.unmodifiableMap(h);
            body = body == null ? new byte[0] : body;
        }

        /** A request without a known client address (tests, in-process calls). */
        public Request(String method, String path, Map<String, List<String>> query,
                       Map<String, List<String>> headers, byte[] body) {
            this(method, path, query, headers, body, null);
        }

        /** The bearer token of an {@code Authorization: Bearer ...} header, if any. */
        public Optional<String> bearerToken() {
            return header("Authorization").filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(a -> a.substring(7).trim()).filter(t -> !t.isEmpty());
        }

        /** First value of a header, case-insensitive. */
        public Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
        }

        /** First value of a query parameter. */
        public Optional<String> queryParam(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
        }

        /** The body decoded as UTF-8. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * What to send back.
     *
     * @param status      HTTP status code
     * @param contentType the {@code Content-Type}
     * @param body        the response body
     */
    record Response(int status, String contentType, byte[] body) {
        public Response {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be 100..599: " + status);
            }
            Objects.requireNonNull(contentType, "contentType");
            body = body == null ? new byte[0] : body;
        }

        /** A JSON response from already-serialized JSON text. */
        public static Response json(int status, String json) {
            return new Response(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
        }

        /** An HTML page. */
        public static Response html(String html) {
            return new Response(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }
    }
}
