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
 * @param headers       request headers; names are matched case-insensitively by {@link #header}. The WebSocket
 *                      upgrade's own headers ({@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Key},
 *                      {@code -Version} and {@code -Extensions}) are left out: they mean nothing once the
 *                      connection is open, and every open connection keeps its handshake ({@code
 *                      Sec-WebSocket-Protocol} is kept)
 * @param query         query parameters, decoded
 * @param remoteAddress client address as the container reports it (no port), or {@code "unknown"}
 * @since 0.1
 */
public record Handshake(String path, Map<String, List<String>> headers, Map<String, List<String>> query,
                        String remoteAddress) {
    public Handshake {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> {
            if (!UPGRADE_ONLY.contains(k)) {
                h.put(k, List.copyOf(v));
            }
        });
        headers = java.util.Collections.unmodifiableMap(h);
        query = compact(query);
        remoteAddress = remoteAddress == null ? "unknown" : remoteAddress;
    }

    /**
     * Query parameters every Socket.IO connection carries ({@code EIO=4&transport=websocket}), shared between
     * handshakes instead of kept per connection; every handshake is held for its connection's life.
     */
    private static final Map<String, String> COMMON_KEYS = Map.of("EIO", "EIO", "transport", "transport");
    private static final Map<String, List<String>> COMMON_VALUES = Map.of("4", List.of("4"), "3", List.of("3"),
            "websocket", List.of("websocket"), "polling", List.of("polling"));

    private static Map<String, List<String>> compact(Map<String, List<String>> query) {
        if (query.isEmpty()) {
            return Map.of();
        }
        java.util.HashMap<String, List<String>> q = new java.util.HashMap<>(query.size() * 2);
        query.forEach((k, v) -> {
            List<String> common = v.size() == 1 ? COMMON_VALUES.get(v.get(0)) : null;
            q.put(COMMON_KEYS.getOrDefault(k, k), common != null ? common : v);
        });
        return Map.copyOf(q);
    }

    /** Headers of the upgrade itself, dropped from every handshake (case-insensitive). */
    private static final java.util.Set<String> UPGRADE_ONLY = upgradeOnly();

    private static java.util.Set<String> upgradeOnly() {
        TreeMap<String, Boolean> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String n : List.of("Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                "Sec-WebSocket-Extensions")) {
            m.put(n, Boolean.TRUE);
        }
        return java.util.Collections.unmodifiableSet(m.keySet());
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
