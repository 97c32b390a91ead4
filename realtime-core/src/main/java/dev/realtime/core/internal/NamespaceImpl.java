package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.Client;
import dev.realtime.core.EventHandler;
import dev.realtime.core.Namespace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Socket.IO namespace: its handlers (in the hub's handler registry under the namespace's scope), connect
 * listeners, and its frame encoder. The instance itself is the cache key for frames encoded for this namespace,
 * so a broadcast is encoded once per namespace whatever the number of sockets.
 */
public final class NamespaceImpl implements Namespace {
    private final HubEngine engine;
    private final String name;
    /** Handler scope: the default namespace shares the native protocol's handlers. */
    final String scope;
    /** "" for the default namespace, else "/name," — the prefix of every packet's namespace part. */
    final String prefix;
    private final List<ConnectListener> connectListeners = new CopyOnWriteArrayList<>();

    NamespaceImpl(HubEngine engine, String name) {
        this.engine = engine;
        this.name = name;
        this.scope = "/".equals(name) ? "" : name;
        this.prefix = "/".equals(name) ? "" : name + ",";
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
    public Namespace onConnect(ConnectListener listener) {
        connectListeners.add(listener);
        return this;
    }

    void fireConnect(Client socket, JsonNode auth, boolean recovered) {
        for (ConnectListener l : connectListeners) {
            l.onConnect(socket, auth, recovered);
        }
    }

    /** The shared EVENT frame of a room event for this namespace, with the recovery offset when it has one. */
    String encode(OutboundEvent e) {
        return e.encoded(this, ev -> {
            StringBuilder sb = new StringBuilder(24 + prefix.length() + ev.event.length() + ev.data.length());
            sb.append("42").append(prefix).append('[');
            NativeCodec.quote(sb, ev.event);
            sb.append(',').append(ev.data);
            if (ev.logId != 0) {
                sb.append(",\"").append(Long.toString(ev.logId, 36)).append('"');
            }
            return sb.append(']').toString();
        });
    }
}
