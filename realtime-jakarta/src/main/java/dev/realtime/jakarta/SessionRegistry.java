package dev.realtime.jakarta;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open sessions of the {@link RealtimeEndpoint}s it was given to, so that a server can close them all (on
 * shutdown, or to drain a node) without closing the hub they share.
 *
 * <p>Thread-safe. Holds no threads; sessions leave the registry when they close.
 *
 * @since 0.1
 */
public final class SessionRegistry {
    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    void add(Session session) {
        sessions.add(session);
    }

    void remove(Session session) {
        sessions.remove(session);
    }

    /** Number of open sessions. */
    public int size() {
        return sessions.size();
    }

    /**
     * Closes every open session with {@code code} and {@code reason}; the hub sees a normal close for each.
     *
     * @return how many sessions were asked to close
     */
    public int closeAll(int code, String reason) {
        List<Session> snapshot = List.copyOf(sessions);
        CloseReason cr = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), JakartaTransport.clip(reason));
        for (Session s : snapshot) {
            try {
                if (s.isOpen()) {
                    s.close(cr);
                }
            } catch (Exception e) {
                log.debug("closing session {} failed: {}", s.getId(), e.toString());
            }
        }
        return snapshot.size();
    }
}
