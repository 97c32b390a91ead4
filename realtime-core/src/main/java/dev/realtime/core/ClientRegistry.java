package dev.realtime.core;

import java.util.Collection;
import java.util.Map;

/**
 * Observes connection lifecycles so that other systems can see who is connected where: seed 002's
 * {@code client:{clientId}} metadata and {@code subscriptions:{clientId}} sets in Redis, for example. The hub calls
 * it on connect, subscribe, unsubscribe, disconnect, and periodically with every live client id (a heartbeat, so
 * that entries of a crashed node expire).
 *
 * <p>Called on transport and scheduler threads: implementations must be thread-safe and quick; failures are
 * logged by the hub and never affect the connection.
 *
 * @since 0.1
 */
public interface ClientRegistry extends AutoCloseable {

    void register(String clientId, Map<String, String> metadata);

    void subscribe(String clientId, String room);

    void unsubscribe(String clientId, String room);

    /** Heartbeat for the live clients of this node. */
    void refresh(Collection<String> clientIds);

    void remove(String clientId);

    @Override
    default void close() {
    }

    /** Records nothing: the hub's own connection table is enough on one node. */
    static ClientRegistry none() {
        return new ClientRegistry() {
            @Override
            public void register(String clientId, Map<String, String> metadata) {
            }

            @Override
            public void subscribe(String clientId, String room) {
            }

            @Override
            public void unsubscribe(String clientId, String room) {
            }

            @Override
            public void refresh(Collection<String> clientIds) {
            }

            @Override
            public void remove(String clientId) {
            }
        };
    }
}
