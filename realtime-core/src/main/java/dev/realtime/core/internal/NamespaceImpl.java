package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.AnyListener;
import dev.realtime.core.BroadcastOperator;
import dev.realtime.core.Client;
import dev.realtime.core.DisconnectReason;
import dev.realtime.core.EventHandler;
import dev.realtime.core.EventListener;
import dev.realtime.core.Middleware;
import dev.realtime.core.Namespace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Socket.IO namespace: its handlers (in the hub's handler registry under the namespace's scope), middlewares,
 * connect and disconnect listeners, its application-room keys and its frame encoder. The instance itself is the
 * cache key for frames encoded for this namespace, so a broadcast is encoded once per namespace whatever the
 * number of sockets.
 */
public final class NamespaceImpl implements Namespace {
    private static final Logger log = LoggerFactory.getLogger(NamespaceImpl.class);
    private final HubEngine engine;
    private final String name;
    /** Handler scope: the default namespace shares the native protocol's handlers. */
    final String scope;
    /** "" for the default namespace, else "/name," — the prefix of every packet's namespace part. */
    final String prefix;
    /** The EVENT encoder, allocated once, so a fan-out allocates no capturing lambda per recipient. */
    private final java.util.function.Function<OutboundEvent, Frame> encodeEvent = this::encodeNow;
    /** Prefix of this namespace's application-room keys ("" for the default namespace). */
    private final String roomPrefix;
    private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<ConnectListener> connectListeners = new CopyOnWriteArrayList<>();
    private final List<DisconnectListener> disconnectListeners = new CopyOnWriteArrayList<>();

    NamespaceImpl(HubEngine engine, String name) {
        this.engine = engine;
        this.name = name;
        this.scope = "/".equals(name) ? "" : name;
        this.prefix = "/".equals(name) ? "" : name + ",";
        this.roomPrefix = "/".equals(name) ? "" : name + "#";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> Namespace on(String event, Class<T> payloadType, EventHandler<T> handler) {
        engine.handlers.register(scope, event, payloadType, handler);
        return this;
    }

    @Override
    public Namespace on(String event, EventListener listener) {
        engine.handlers.register(scope, event, listener);
        return this;
    }

    @Override
    public Namespace off(String event) {
        engine.handlers.remove(scope, event);
        return this;
    }

    @Override
    public Runnable onAny(AnyListener listener) {
        return engine.handlers.addAny(scope, listener);
    }

    @Override
    public Namespace use(Middleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    @Override
    public Namespace onConnect(ConnectListener listener) {
        connectListeners.add(listener);
        return this;
    }

    @Override
    public Namespace onDisconnect(DisconnectListener listener) {
        disconnectListeners.add(listener);
        return this;
    }

    @Override
    public BroadcastOperator to(String... rooms) {
        return new Broadcast(engine, this).to(rooms);
    }

    /** Runs the middlewares in order; a {@link dev.realtime.core.RealtimeException} rejects. */
    void admit(Client socket) {
        for (Middleware m : middlewares) {
            m.check(socket);
        }
    }

    void fireConnect(Client socket, JsonNode auth, boolean recovered) {
        for (ConnectListener l : connectListeners) {
            l.onConnect(socket, auth, recovered);
        }
    }

    void fireDisconnect(Client socket, DisconnectReason reason) {
        for (DisconnectListener l : disconnectListeners) {
            try {
                l.onDisconnect(socket, reason);
            } catch (RuntimeException e) {
                log.warn("disconnect listener of {} failed", name, e);
            }
        }
    }

    /** The internal key of this namespace's application room {@code room}. */
    String roomKey(String room) {
        return roomPrefix + room;
    }

    /** The application's name of a room key held by a socket of this namespace. */
    String roomName(String key) {
        return !roomPrefix.isEmpty() && key.startsWith(roomPrefix) ? key.substring(roomPrefix.length()) : key;
    }

    /** Whether a room key is a namespace's application room (those start with the namespace's {@code /}). */
    static boolean isAppRoomKey(String key) {
        return key.startsWith("/");
    }

    /**
     * The shared EVENT frame of a room event for this namespace (with the recovery offset when it has one, and the
     * event's conflation key), encoded once and handed to every recipient.
     */
    Frame encode(OutboundEvent e) {
        return e.encoded(this, encodeEvent);
    }

    private Frame encodeNow(OutboundEvent ev) {
        StringBuilder sb = new StringBuilder(24 + prefix.length() + ev.event.length() + ev.data.length());
        sb.append("42").append(prefix).append('[');
        NativeCodec.quote(sb, ev.event);
        sb.append(',').append(ev.data);
        if (ev.logId != 0) {
            sb.append(",\"").append(Long.toString(ev.logId, 36)).append('"');
        }
        return Frame.text(sb.append(']').toString(), ev.conflationKey);
    }
}
