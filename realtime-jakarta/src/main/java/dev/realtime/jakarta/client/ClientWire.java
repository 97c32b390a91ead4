package dev.realtime.jakarta.client;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current WebSocket session of a {@link RealtimeClient}, and the frames sent on it. Confined to the client's
 * event thread; sends are asynchronous and dropped (logged at debug) while there is no session.
 */
final class ClientWire {
    private static final Logger log = LoggerFactory.getLogger(RealtimeClient.class);

    private final ClientLoop loop;
    private Session session;

    ClientWire(ClientLoop loop) {
        this.loop = loop;
    }

    Session session() {
        return session;
    }

    void attach(Session s) {
        session = s;
    }

    /** Forgets the current session (without closing it) and returns it, or {@code null}. */
    Session detach() {
        Session s = session;
        session = null;
        return s;
    }

    void send(String text) {
        Session s = session;
        if (s == null) {
            return;
        }
        try {
            s.getAsyncRemote().sendText(text, result -> {
                if (!result.isOK()) {
                    log.debug("send failed: {}", String.valueOf(result.getException()));
                }
            });
        } catch (RuntimeException e) {
            log.debug("send failed: {}", e.toString());
        }
    }

    /** Closes {@code s} (if open) on the connector thread, or here once that is shut down. */
    void close(Session s, CloseReason.CloseCode code, String reason) {
        if (s == null) {
            return;
        }
        loop.connector(() -> {
            try {
                if (s.isOpen()) {
                    s.close(new CloseReason(code, reason));
                }
            } catch (Exception e) {
                log.debug("close failed: {}", e.toString());
            }
        }, true);
    }
}
