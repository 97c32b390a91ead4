package dev.realtime.core;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The HTTP upgrade request of a connection, as the adapter saw it.
 *
 * @param path          request path, e.g. {@code /ws} or {@code /socket.io/}
 * @param headers       request headers; names are matched case-insensitively by {@link #header}
 * @param query         query parameters, decoded
 * @param remoteAddress client address as the container reports it (no port), or {@code "unknown"}
 * @since 0.1
 */
public record Handshake(String path, Map<String, List<String>> headers, Map<String, List<String>> query,
                        String remoteAddress) {
    public Handshake {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        headers = java.util.Collections.unmodifiableMap(h);
        query = Map.copyOf(query);
        remoteAddress = remoteAddress == null ? "unknown" : remoteAddress;
    }

    /** First value of a header, case-insensitive. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** First value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** A handshake with no headers or query, for tests and in-process connections. */
    public static Handshake of(String path) {
        return new Handshake(path, Map.of(), Map.of(), "127.0.0.1");
    }
}
