package dev.realtime.jakarta;

import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.Collections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops what a Tyrus server session keeps of its upgrade request for the session's whole life once the hub's
 * {@link dev.realtime.core.Handshake} holds it: {@code TyrusSession} copies the query parameters into a map of its
 * own, keeps the raw query string, and a {@link URI} of the full request (its string, path, query and
 * scheme-specific part). For a Socket.IO connection ({@code ?EIO=4&transport=websocket}) that is some 0.5 KB per idle
 * connection, more with a token in the query. After the trim {@code getRequestParameterMap()} is empty,
 * {@code getQueryString()} null and {@code getRequestURI()} the path alone; nothing in this library reads them
 * afterwards (the connection answers from its {@code Handshake}).
 *
 * <p>The fields are Tyrus 2.1.x's, read reflectively once; on another Tyrus or another container nothing is
 * touched. Stateless but for a cache of path-only URIs (at most 64); thread-safe (called on the session's open, before anything else sees it).
 */
final class TyrusSessionTrim {
    private static final Logger log = LoggerFactory.getLogger(TyrusSessionTrim.class);
    private static final String SESSION = "org.glassfish.tyrus.core.TyrusSession";
    /** requestParameterMap, queryString, requestURI; null when this Tyrus does not have them. */
    private static final Field[] FIELDS = fields();
    private static final java.util.concurrent.ConcurrentMap<String, URI> PATHS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private TyrusSessionTrim() {
    }

    /** Trims {@code session} when it is a Tyrus server session; otherwise does nothing. */
    static void trim(Session session) {
        if (FIELDS == null || !session.getClass().getName().equals(SESSION)) {
            return;
        }
        try {
            URI uri = (URI) FIELDS[2].get(session);
            FIELDS[0].set(session, Collections.emptyMap());
            FIELDS[1].set(session, null);
            if (uri != null && uri.getRawQuery() != null) {
                FIELDS[2].set(session, pathOnly(uri.getRawPath() == null ? "" : uri.getRawPath()));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("session {} not trimmed: {}", session.getId(), e.toString());
        }
    }

    /** One shared URI per endpoint path (a handful); past the bound each session gets its own. */
    private static URI pathOnly(String path) {
        URI shared = PATHS.get(path);
        if (shared == null) {
            shared = URI.create(path);
            if (PATHS.size() < 64) {
                PATHS.putIfAbsent(path, shared);
            }
        }
        return shared;
    }

    private static Field[] fields() {
        try {
            Class<?> c = Class.forName(SESSION);
            Field[] f = {c.getDeclaredField("requestParameterMap"), c.getDeclaredField("queryString"),
                    c.getDeclaredField("requestURI")};
            for (Field field : f) {
                field.setAccessible(true);
            }
            return f;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
