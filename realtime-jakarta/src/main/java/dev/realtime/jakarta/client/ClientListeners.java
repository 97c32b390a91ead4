package dev.realtime.jakarta.client;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle and event listeners of a {@link RealtimeClient}. Listeners may be added from any thread; they
 * are called on the client's event thread only, in order, and a listener that throws is logged and skipped.
 */
final class ClientListeners {
    private static final Logger log = LoggerFactory.getLogger(RealtimeClient.class);

    private final CopyOnWriteArrayList<ClientListener> lifecycle = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, CopyOnWriteArrayList<EventListener>> events = new ConcurrentHashMap<>();

    void add(ClientListener listener) {
        lifecycle.add(listener);
    }

    /** Adds a listener of events named {@code event}, or of all events for {@code "*"}. */
    void on(String event, EventListener listener) {
        events.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Calls the listeners of the event's name, then those of {@code "*"}. */
    void dispatch(RealtimeEvent e) {
        dispatch(events.get(e.event()), e);
        dispatch(events.get("*"), e);
    }

    void connected(String clientId, boolean reconnect) {
        for (ClientListener l : lifecycle) {
            safely(() -> l.onConnected(clientId, reconnect));
        }
    }

    void disconnected(int code, String reason, boolean willReconnect) {
        for (ClientListener l : lifecycle) {
            safely(() -> l.onDisconnected(code, reason, willReconnect));
        }
    }

    void gap(String room, String epoch, long offset) {
        for (ClientListener l : lifecycle) {
            safely(() -> l.onGap(room, epoch, offset));
        }
    }

    void error(RealtimeClientException e) {
        for (ClientListener l : lifecycle) {
            safely(() -> l.onError(e));
        }
    }

    private static void dispatch(List<EventListener> listeners, RealtimeEvent e) {
        if (listeners != null) {
            for (EventListener l : listeners) {
                safely(() -> l.onEvent(e));
            }
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("listener failed", e);
        }
    }
}
