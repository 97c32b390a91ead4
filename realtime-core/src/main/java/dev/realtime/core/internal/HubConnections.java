package dev.realtime.core.internal;

import dev.realtime.core.Protocol;
import dev.realtime.core.Transport;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connections, owned by one {@link HubEngine}: creates them (id, protocol session, registration,
 * greeting), unregisters each once, and walks them for the heartbeat sweep and the shutdown. The hub checks
 * whether a connection may be created at all ({@link HubEngine#connect}); this class only builds and tracks it.
 *
 * <p>Thread-safe: the registry is a {@link ConcurrentHashMap} and ids come from an atomic counter, so any thread
 * may open, unregister or iterate (iteration is weakly consistent and sees no half-built connection, since one is
 * registered only with its session attached). Sweep failures are logged under the {@code HubEngine} logger.
 */
final class HubConnections {
    private static final Logger log = LoggerFactory.getLogger(HubEngine.class);

    private final HubEngine engine;
    private final ConcurrentHashMap<String, RealConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Part of every connection id naming this node, so ids are unique across a cluster. */
    private final String idTag;

    HubConnections(HubEngine engine, String nodeId) {
        this.engine = engine;
        this.idTag = nodeId.matches("[A-Za-z0-9_]{1,8}") ? nodeId
                : Long.toString(Integer.toUnsignedLong(nodeId.hashCode()), 36);
    }

    /** Creates, registers and greets a connection; the hub has checked that it may be opened. */
    RealConnection open(Transport transport, Protocol protocol) {
        String id = "c-" + idTag + "-" + Long.toString(ids.incrementAndGet(), 36);
        RealConnection c = new RealConnection(engine, id, transport, engine.settings.sendQueueCapacity());
        ProtocolSession session = protocol == Protocol.NATIVE ? new NativeSession(engine, c)
                : new SocketIoSession(engine, c, engine.socketIo);
        c.attach(session);
        connections.put(id, c); // registered with its session, so the sweep never sees a half-built connection
        engine.admission.connected(c.remoteIp);
        // greet first; the registry (Redis, say) is written off this thread, which is the container's: a slow
        // registry held the open packet back until the client gave up (the "could not attach ... The connection
        // has been closed" race on a fresh server)
        c.open();
        c.mirror(() -> engine.clients.register(id, java.util.Map.of("node", engine.nodeId,
                "protocol", protocol.name(), "remoteAddress", c.remoteIp,
                "connectedAt", engine.clock.instant().toString())));
        return c;
    }

    /** Forgets a closed connection, once: its registry entry and admission counts are released. */
    void unregister(RealConnection c) {
        if (connections.remove(c.id, c)) {
            c.mirror(() -> engine.clients.remove(c.id));
            engine.admission.disconnected(c.remoteIp, c.principal);
        }
    }

    int size() {
        return connections.size();
    }

    /** This node's connections (a live view). */
    Collection<RealConnection> view() {
        return connections.values();
    }

    /** This node's connection ids (a copy). */
    List<String> ids() {
        return List.copyOf(connections.keySet());
    }

    /** Closes every connection at once (server shutting down): no waiting for queues to drain. */
    void abortAll(int code, String reason) {
        for (RealConnection c : connections.values()) {
            c.reason(dev.realtime.core.DisconnectReason.SERVER_SHUTTING_DOWN);
            c.abort(code, reason); // shutting down: no waiting for queues to drain
        }
    }

    /** The heartbeat sweep: every connection's timers and limits, then the presence refresh. */
    void sweep() {
        try {
            long now = engine.clock.millis();
            long nanos = engine.ticker.getAsLong();
            for (RealConnection c : connections.values()) {
                c.tick(now, nanos);
            }
            engine.membership.refreshPresence(now);
        } catch (RuntimeException e) {
            log.error("heartbeat sweep failed", e);
        }
    }
}
