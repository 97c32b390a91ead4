package dev.realtime.spring;

import dev.realtime.core.Handshake;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketSession;

/** Builds core {@link Handshake}s from Spring's request and session types. Stateless. */
final class Handshakes {

    private Handshakes() {
    }

    /** The upgrade request as the hub sees it. */
    static Handshake of(ServerHttpRequest request) {
        return of(request.getURI(), request.getHeaders(), request.getRemoteAddress());
    }

    /** The upgrade request rebuilt from an open session (when no interceptor captured it). */
    static Handshake of(WebSocketSession session) {
        return of(session.getUri(), session.getHandshakeHeaders(), session.getRemoteAddress());
    }

    private static Handshake of(URI uri, HttpHeaders headers, InetSocketAddress remote) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> h.put(name, values == null ? List.of() : values));
        }
        return new Handshake(uri == null || uri.getPath() == null ? "" : uri.getPath(), h,
                uri == null ? Map.of() : query(uri.getRawQuery()), address(remote));
    }

    /** Decoded query parameters, in order; a name without {@code =} gets an empty value. */
    static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // malformed %-escape: keep it raw, the hub validates values
        }
    }

    /** The client's address without the port, or {@code null} (the hub's "unknown"). */
    private static String address(InetSocketAddress remote) {
        if (remote == null) {
            return null;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
